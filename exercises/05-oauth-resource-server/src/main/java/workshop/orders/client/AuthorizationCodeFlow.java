package workshop.orders.client;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What an MCP client does to get an access token (MCP authorization, 2025-11-25), with java.net.http only, each
 * step a method of its own so the demo can show it: the 401's challenge names the resource metadata (RFC 9728),
 * which names the authorization server, whose metadata (RFC 8414) names its endpoints; the client registers
 * (RFC 7591), sends the user to log in with PKCE S256 and {@code resource} (RFC 8707), and redeems the code.
 * The user's part, the login page, is done headlessly here: the form is submitted as a browser would.
 */
public final class AuthorizationCodeFlow {

    /** Where the authorization server sends the code: a loopback URI, any port (RFC 8252 §7.3). */
    public static final String REDIRECT_URI = "http://127.0.0.1/callback";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** {@code name="value"}, the value a quoted-string (RFC 9110 §5.6.4): a backslash escapes the next character. */
    private static final Pattern PARAMETER = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** A step of the flow went wrong; the message is one line and carries no credential. */
    public static final class FlowException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FlowException(String message) {
            super(message, null, false, false);
        }
    }

    /** The server's answer to a request without a token: its status and {@code WWW-Authenticate} parameters. */
    public record Challenge(int status, String header, Map<String, String> parameters) {
    }

    /** RFC 9728 metadata: the resource and the authorization server to get a token for it from. */
    public record ResourceMetadata(URI resource, URI authorizationServer, List<String> scopes) {
    }

    /** RFC 8414 metadata: the endpoints of the authorization server. */
    public record ServerMetadata(URI issuer, URI authorization, URI token, URI registration) {
    }

    /** An access token and the scopes the authorization server says it granted. */
    public record Granted(String accessToken, Set<String> scopes) {
        @Override
        public String toString() {
            return "Granted[(token hidden), " + scopes + "]";
        }
    }

    private AuthorizationCodeFlow() {
    }

    /** Sends an MCP {@code initialize} without a token and reads the challenge of the answer. */
    public static Challenge challenge(URI endpoint) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
                        + "\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
                        + "\"clientInfo\":{\"name\":\"catalog-client\",\"version\":\"1.0.0\"}}}")));
        String header = response.headers().firstValue("WWW-Authenticate").orElse("");
        return new Challenge(response.statusCode(), header, parameters(header));
    }

    /** The {@code name="value"} parameters of a {@code WWW-Authenticate: Bearer ...} header. */
    public static Map<String, String> parameters(String header) {
        Map<String, String> parameters = new LinkedHashMap<>();
        Matcher matcher = PARAMETER.matcher(header);
        while (matcher.find()) {
            parameters.putIfAbsent(matcher.group(1), matcher.group(2).replaceAll("\\\\(.)", "$1"));
        }
        return parameters;
    }

    /** Reads the resource metadata and checks that it is about the server the client connects to (RFC 9728 §3.3). */
    public static ResourceMetadata resourceMetadata(URI metadataUrl, URI endpoint) {
        Map<String, Object> json = json(send(HttpRequest.newBuilder(metadataUrl).GET()), metadataUrl);
        if (!endpoint.toString().equals(json.get("resource"))) {
            throw new FlowException("the resource metadata is about " + json.get("resource") + ", not " + endpoint);
        }
        if (!(json.get("authorization_servers") instanceof List<?> servers) || servers.isEmpty()
                || !(servers.get(0) instanceof String issuer)) {
            throw new FlowException("the resource metadata names no authorization server");
        }
        List<String> scopes = json.get("scopes_supported") instanceof List<?> list
                ? list.stream().map(String::valueOf).toList() : List.of();
        return new ResourceMetadata(endpoint, URI.create(issuer), scopes);
    }

    /** RFC 8414 metadata, else OpenID Connect's; it must name the issuer it was fetched for (RFC 8414 §3.3). */
    public static ServerMetadata serverMetadata(URI issuer) {
        for (String wellKnown : List.of("/.well-known/oauth-authorization-server", "/.well-known/openid-configuration")) {
            URI url = issuer.resolve(wellKnown);
            HttpResponse<String> response = send(HttpRequest.newBuilder(url).GET());
            if (response.statusCode() != 200) {
                continue;
            }
            Map<String, Object> json = json(response, url);
            if (!issuer.toString().equals(json.get("issuer"))) {
                throw new FlowException("the metadata at " + url + " names another issuer: " + json.get("issuer"));
            }
            return new ServerMetadata(issuer, uri(json, "authorization_endpoint"), uri(json, "token_endpoint"),
                    uri(json, "registration_endpoint"));
        }
        throw new FlowException("the authorization server " + issuer + " publishes no metadata");
    }

    /** Registers this client (RFC 7591): a public client with a loopback redirect URI. Returns its client_id. */
    public static String register(ServerMetadata server) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("client_name", "orders-client");
        request.put("redirect_uris", List.of(REDIRECT_URI));
        request.put("token_endpoint_auth_method", "none");
        request.put("grant_types", List.of("authorization_code"));
        request.put("response_types", List.of("code"));
        HttpResponse<String> response = send(HttpRequest.newBuilder(server.registration())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(request))));
        Map<String, Object> json = json(response, server.registration());
        if (response.statusCode() != 201 || !(json.get("client_id") instanceof String clientId)) {
            throw new FlowException("registration answered HTTP " + response.statusCode() + " " + json.get("error"));
        }
        return clientId;
    }

    /**
     * The authorization code flow for one user, as a browser and the client would do it together: the authorization
     * request with PKCE and {@code resource}, the login form, the code, the token request.
     */
    public static Granted authorize(ServerMetadata server, String clientId, URI resource, String scope, String user,
            String password) {
        return authorize(server, clientId, resource, scope, user, password, new Browser(), Map.of());
    }

    /**
     * The flow again after the server refused a call with a 401 {@code insufficient_user_authentication} (RFC 9470
     * §3): the challenge's {@code max_age} goes into the authorization request (§4), so the authorization server asks
     * the user to log in again even though {@code browser} still holds a login session. Without it the server would
     * answer at once with the old login, and the client would get the same refusal again, in a loop.
     */
    public static Granted reauthorize(ServerMetadata server, String clientId, URI resource, String scope,
            String challenge, String user, String password, Browser browser) {
        Map<String, String> extra = new LinkedHashMap<>();
        Map<String, String> parameters = parameters(challenge);
        if ("insufficient_user_authentication".equals(parameters.get("error"))
                && parameters.getOrDefault("max_age", "").matches("[0-9]{1,10}")) {
            extra.put("max_age", parameters.get("max_age"));
        }
        return authorize(server, clientId, resource, scope, user, password, browser, extra);
    }

    /** The flow in a browser that may already be logged in; {@code extra} parameters go into the authorization request. */
    public static Granted authorize(ServerMetadata server, String clientId, URI resource, String scope, String user,
            String password, Browser browser, Map<String, String> extra) {
        String verifier = random(32);
        String code = code(server, clientId, resource, scope, s256(verifier), user, password, browser, extra);
        return redeem(server, clientId, code, verifier, resource);
    }

    /** The authorization request and the login form: the code the authorization server redirects to the client. */
    public static String code(ServerMetadata server, String clientId, URI resource, String scope, String challenge,
            String user, String password) {
        return code(server, clientId, resource, scope, challenge, user, password, new Browser(), Map.of());
    }

    /**
     * As above, in {@code browser}: the login form is filled in only when the authorization server shows it (a
     * browser with a login session the server accepts gets the code at once).
     */
    public static String code(ServerMetadata server, String clientId, URI resource, String scope, String challenge,
            String user, String password, Browser browser, Map<String, String> extra) {
        String state = random(16);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", clientId);
        query.put("redirect_uri", REDIRECT_URI);
        query.put("scope", scope);
        query.put("state", state);
        query.put("code_challenge", challenge);
        query.put("code_challenge_method", "S256");
        query.put("resource", resource.toString());
        query.putAll(extra);
        String location = browser.get(URI.create(server.authorization() + "?" + form(query)));
        if (location.endsWith("/login")) {
            HttpResponse<String> page = browser.page(server.issuer().resolve(location));
            Matcher csrf = CSRF.matcher(page.body());
            if (!csrf.find()) {
                throw new FlowException("the login page has no form to submit");
            }
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("username", user);
            fields.put("password", password);
            fields.put("_csrf", csrf.group(1));
            location = browser.post(server.issuer().resolve("/login"), fields);
            if (location.contains("/login?error")) {
                throw new FlowException("the authorization server refused the login of " + user);
            }
            location = browser.get(server.issuer().resolve(location));
        }
        Map<String, String> answer = query(URI.create(location));
        if (!location.startsWith(REDIRECT_URI) || !state.equals(answer.get("state")) || answer.get("code") == null) {
            throw new FlowException("no authorization code: " + answer.getOrDefault("error", "unexpected redirect")
                    + (answer.containsKey("error_description") ? " (" + answer.get("error_description") + ")" : ""));
        }
        return answer.get("code");
    }

    /** The token request: the code, and the PKCE verifier that only this client knows. */
    public static Granted redeem(ServerMetadata server, String clientId, String code, String verifier, URI resource) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("grant_type", "authorization_code");
        fields.put("client_id", clientId);
        fields.put("code", code);
        fields.put("redirect_uri", REDIRECT_URI);
        fields.put("code_verifier", verifier);
        fields.put("resource", resource.toString());
        HttpResponse<String> response = send(HttpRequest.newBuilder(server.token())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields))));
        Map<String, Object> json = json(response, server.token());
        if (response.statusCode() != 200 || !(json.get("access_token") instanceof String token)) {
            throw new FlowException("the token request answered HTTP " + response.statusCode() + " "
                    + json.get("error"));
        }
        Set<String> scopes = new LinkedHashSet<>();
        if (json.get("scope") instanceof String granted && !granted.isBlank()) {
            scopes.addAll(List.of(granted.split(" ")));
        }
        return new Granted(token, scopes);
    }

    /** A PKCE S256 challenge (RFC 7636 §4.2). */
    public static String s256(String verifier) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    /** {@code bytes} random bytes, base64url: a PKCE verifier, a state. */
    public static String random(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** The query parameters of a URI, decoded. */
    public static Map<String, String> query(URI uri) {
        Map<String, String> parameters = new LinkedHashMap<>();
        String query = uri.getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                parameters.put(pair.substring(0, equals < 0 ? pair.length() : equals),
                        equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return parameters;
    }

    public static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(field -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    /**
     * The user's side: one cookie jar for the login session, kept between authorizations as a browser keeps it;
     * redirects are followed by hand, never to the client.
     */
    public static final class Browser {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
                .cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();

        /** A GET that must redirect; returns where to. */
        String get(URI uri) {
            return location(call(HttpRequest.newBuilder(uri).header("Accept", "text/html").GET()));
        }

        HttpResponse<String> page(URI uri) {
            return call(HttpRequest.newBuilder(uri).header("Accept", "text/html").GET());
        }

        String post(URI uri, Map<String, String> fields) {
            return location(call(HttpRequest.newBuilder(uri)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form(fields)))));
        }

        private HttpResponse<String> call(HttpRequest.Builder request) {
            try {
                return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new FlowException("cannot reach the authorization server");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FlowException("interrupted");
            }
        }

        private static String location(HttpResponse<String> response) {
            return response.headers().firstValue("Location").orElseThrow(() -> new FlowException(
                    response.request().uri().getPath() + " answered HTTP " + response.statusCode() + ", no redirect"));
        }
    }

    private static URI uri(Map<String, Object> json, String name) {
        if (json.get(name) instanceof String value) {
            return URI.create(value);
        }
        throw new FlowException("the authorization server's metadata has no " + name);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        HttpRequest built = request.timeout(TIMEOUT).build();
        try {
            return HTTP.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new FlowException("cannot reach " + built.uri().getScheme() + "://" + built.uri().getAuthority());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlowException("interrupted");
        }
    }

    private static Map<String, Object> json(HttpResponse<String> response, URI from) {
        try {
            return McpJsonDefaults.getMapper().readValue(response.body(), new TypeRef<Map<String, Object>>() {
            });
        } catch (IOException | RuntimeException notJson) {
            throw new FlowException(from.getPath() + " answered HTTP " + response.statusCode() + ", not JSON");
        }
    }

    private static String write(Object value) {
        try {
            return McpJsonDefaults.getMapper().writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
