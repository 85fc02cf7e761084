package workshop.catalog.client;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * This client as one authorization server knows it: its {@code client_id}, its secret if it has one, and how it
 * proves it at the token endpoint (RFC 6749 §2.3.1, the names of RFC 7591 §2). A client_id is valid only at the
 * issuer that gave it ({@link Registrations} keeps one per issuer).
 *
 * @param method {@code none} (a public client: the client_id in the body), {@code client_secret_basic} (HTTP Basic)
 *               or {@code client_secret_post} (client_id and client_secret in the body)
 */
public record RegisteredClient(String clientId, String secret, String method) {

    public static final String NONE = "none";
    public static final String BASIC = "client_secret_basic";
    public static final String POST = "client_secret_post";

    /** A public client: no secret, PKCE alone protects the code (the usual MCP client). */
    public static RegisteredClient publicClient(String clientId) {
        return new RegisteredClient(clientId, null, NONE);
    }

    /** Puts the client's authentication on a token request: a header, or fields of the form. */
    void authenticate(HttpRequest.Builder request, Map<String, String> form) {
        switch (method) {
            case BASIC -> // RFC 6749 §2.3.1: each part form-urlencoded before base64
                    request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            (encode(clientId) + ":" + encode(secret)).getBytes(StandardCharsets.UTF_8)));
            case POST -> {
                form.put("client_id", clientId);
                form.put("client_secret", secret);
            }
            default -> form.put("client_id", clientId);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "RegisteredClient[" + clientId + ", " + method + (secret == null ? "]" : ", secret=(hidden)]");
    }
}
