package workshop.orders.http;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;

/**
 * A request whose body a filter has read, put back for the filters and the servlet after it: the bytes read, then
 * whatever was left unread. A filter that looks into the JSON-RPC message ({@link InvalidParamsFilter}, and the
 * scope check of step 05) passes this on instead of the request it consumed.
 */
public final class ReplayedBody extends HttpServletRequestWrapper {
    private final ServletInputStream body;

    public ReplayedBody(HttpServletRequest request, byte[] head, InputStream rest) {
        super(request);
        InputStream all = new SequenceInputStream(new ByteArrayInputStream(head), rest);
        this.body = new ServletInputStream() {
            @Override
            public int read() throws IOException {
                return all.read();
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                return all.read(buffer, offset, length);
            }

            @Override
            public boolean isFinished() {
                try {
                    return all.available() == 0;
                } catch (IOException e) {
                    return true;
                }
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new IllegalStateException("The body was read already; read it blocking");
            }
        };
    }

    @Override
    public ServletInputStream getInputStream() {
        return body;
    }

    @Override
    public BufferedReader getReader() {
        return new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    }
}
