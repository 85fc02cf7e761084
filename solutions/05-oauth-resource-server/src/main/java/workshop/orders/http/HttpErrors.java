package workshop.orders.http;

import io.modelcontextprotocol.json.McpJsonDefaults;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the error responses of docs/design.md#status-codes: a JSON body {"error", "error_description"} and,
 * for authentication failures, the RFC 6750 {@code WWW-Authenticate: Bearer ...} challenge.
 */
public final class HttpErrors {

    public static final String REALM = "mcp";

    private HttpErrors() {
    }

    /**
     * Refuses a request that carries no usable Bearer credential. With {@code error == null} the
     * challenge has no error code, as RFC 6750 §3.1 asks when the client sent no credential at all.
     */
    public static void challenge(HttpServletResponse response, int status, String error, String description)
            throws IOException {
        BearerChallenge challenge = BearerChallenge.bearer().with("error", error)
                .with("error_description", error == null ? null : description);
        challenge(response, status, challenge, error == null ? "unauthorized" : error, description);
    }

    /** Refuses with this {@code WWW-Authenticate} challenge and the JSON body {"error", "error_description"}. */
    public static void challenge(HttpServletResponse response, int status, BearerChallenge challenge, String error,
            String description) throws IOException {
        response.setHeader("WWW-Authenticate", challenge.toString());
        json(response, status, error, description);
    }

    /** Sends {"error": ..., "error_description": ...} with the given status and nothing else. */
    public static void json(HttpServletResponse response, int status, String error, String description)
            throws IOException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        byte[] bytes = McpJsonDefaults.getMapper().writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-store");
        // A refusal usually answers before the request body was read, and Jetty then closes the
        // connection. Saying so up front keeps a client from reusing it for its next request.
        response.setHeader("Connection", "close");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
