package workshop.orders.http;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
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
import java.util.Arrays;
import java.util.Map;

/**
 * A request whose body a filter has read, put back for the filters and the servlet after it: the bytes read, then
 * whatever was left unread. A filter that looks into the JSON-RPC message ({@link InvalidParamsFilter}, and the
 * scope check of step 05) passes this on instead of the request it consumed.
 * <p>
 * Such filters parse the body once between them: {@link #jsonObject} leaves what it parsed on the request, and the
 * next filter that reads the same bytes gets it from there. The SDK's servlet parses the body once more; it takes
 * only the text, so that parse cannot be shared.
 */
public final class ReplayedBody extends HttpServletRequestWrapper {
    /** The request attribute that holds the last body {@link #jsonObject} parsed, with what it parsed to. */
    static final String PARSED = ReplayedBody.class.getName() + ".parsed";

    private record Parsed(byte[] body, Map<String, Object> message) {
    }

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

    /**
     * The body, read as UTF-8 (the charset the servlet reads it in, below), as a JSON object with the SDK's mapper:
     * null for the JSON literal null, an empty map for anything else that is no JSON object (the SDK answers that).
     * Parsed once per request: a filter after the first one that reads the same bytes gets the same map.
     */
    public static Map<String, Object> jsonObject(HttpServletRequest request, byte[] body) {
        if (request.getAttribute(PARSED) instanceof Parsed parsed
                && (parsed.body() == body || Arrays.equals(parsed.body(), body))) {
            return parsed.message();
        }
        Map<String, Object> message;
        try {
            message = McpJsonDefaults.getMapper().readValue(new String(body, StandardCharsets.UTF_8),
                    new TypeRef<Map<String, Object>>() {
                    });
        } catch (IOException | RuntimeException notAnObject) {
            message = Map.of();
        }
        request.setAttribute(PARSED, new Parsed(body, message));
        return message;
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
