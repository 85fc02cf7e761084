package workshop.orders.http;

import io.modelcontextprotocol.json.McpJsonDefaults;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ErrorHandler;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error pages (unknown path, oversized header, a servlet's sendError) as the same JSON
 * body our filters send. Only the status and its standard reason phrase are written: never the
 * exception, its message or a stack trace.
 */
public final class JsonErrorHandler extends ErrorHandler {

    public JsonErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
        setShowMessageInTitle(false);
    }

    @Override
    protected boolean generateAcceptableResponse(Request request, Response response, Callback callback,
            String contentType, List<Charset> charsets, int code, String message, Throwable cause) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        // Jetty drops Vary with the other content headers before an error page; CorsFilter's answer varies by Origin.
        if (response.getHeaders().contains(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN)) {
            response.getHeaders().ensureField(new HttpField(HttpHeader.VARY, "Origin"));
        }
        response.write(true, ByteBuffer.wrap(body(code)), callback);
        return true;
    }

    // Jetty 12.1 marks this for removal but still calls it for a request it cannot parse (a 431, say), and
    // offers no other hook for that answer yet: without it such an answer would be Jetty's HTML page.
    @Override
    @SuppressWarnings("removal")
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(body(status));
    }

    static byte[] body(int status) {
        String reason = HttpStatus.getMessage(status);
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", reason.toLowerCase(Locale.ROOT).replace(' ', '_'));
        body.put("error_description", reason);
        try {
            return McpJsonDefaults.getMapper().writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
