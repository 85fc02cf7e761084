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
 * Such filters read and parse the body once between them: {@link #read} hands a later filter the body an earlier one
 * read, as long as nothing has read from it since, and {@link #jsonObject} leaves what it parsed on the request for
 * the next filter that reads the same bytes. The SDK's servlet parses the body once more; it takes only the text, so
 * that parse cannot be shared.
 */
public final class ReplayedBody extends HttpServletRequestWrapper {
    /** The request attribute that holds the last body {@link #jsonObject} parsed, with what it parsed to. */
    static final String PARSED = ReplayedBody.class.getName() + ".parsed";

    private record Parsed(byte[] body, Map<String, Object> message) {
    }

    private final ServletInputStream body;
    private final byte[] head;
    /** The head is the whole body: the stream it was read from had ended. */
    private final boolean whole;
    /** Set by the first read: from then on, the head is no longer all that is left to read. */
    private volatile boolean touched;

    /** The request, with {@code head} to be read first, then {@code rest}. */
    public ReplayedBody(HttpServletRequest request, byte[] head, InputStream rest) {
        this(request, head, rest, false);
    }

    private ReplayedBody(HttpServletRequest request, byte[] head, InputStream rest, boolean whole) {
        super(request);
        this.head = head;
        this.whole = whole;
        InputStream all = new SequenceInputStream(new ByteArrayInputStream(head), rest);
        this.body = new ServletInputStream() {
            @Override
            public int read() throws IOException {
                touched = true;
                return all.read();
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                touched = true;
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
     * The request's body, up to {@code maxBytes + 1} bytes of it in {@link #head()} (more than {@code maxBytes}: too
     * large), put back to be read again. When an earlier filter read the whole body, within the same limit, and
     * nothing has read from it since, that filter's copy is handed on as it is: the body is read from the connection
     * and copied once, whatever the number of filters that look into it.
     */
    public static ReplayedBody read(HttpServletRequest request, int maxBytes) throws IOException {
        if (request instanceof ReplayedBody earlier && earlier.whole && !earlier.touched
                && earlier.head.length <= maxBytes) {
            return earlier;
        }
        InputStream in = request.getInputStream();
        byte[] head = in.readNBytes(maxBytes + 1);
        return new ReplayedBody(request, head, in, head.length <= maxBytes);
    }

    /** The bytes read first: by {@link #read}, the whole body when it is at most the limit long. */
    public byte[] head() {
        return head;
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
