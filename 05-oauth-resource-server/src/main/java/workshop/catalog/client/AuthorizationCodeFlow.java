package workshop.catalog.client;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
import java.io.IOException;
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
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What an MCP client does to get an access token (MCP authorization, 2025-11-25), with java.net.http only, each
 * step a method of its own so the demo can show it: the 401's challenge names the resource metadata (RFC 9728),
 * which names the authorization server, whose metadata (RFC 8414) names its endpoints ({@link Discovery} says
 * where each is looked for); the client registers (RFC 7591), sends the user to log in with PKCE S256 and
 * {@code resource} (RFC 8707), checks where the answer comes from (RFC 9207), and redeems the code as the client
 * it is at that server ({@link RegisteredClient}). The user's part, the login page, belongs to a
 * {@link UserAgent}: a browser, or {@link HeadlessLogin}, which submits the login form as a browser would.
 */
public final class AuthorizationCodeFlow {

    /** Where the authorization server sends the code: a loopback URI, any port (RFC 8252 §7.3). */
    public static final String REDIRECT_URI = "http://127.0.0.1/callback";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** {@code name="value"}, the value a quoted-string (RFC 9110 §5.6.4): a backslash escapes the next character. */
    private static final Pattern PARAMETER = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** A step of the flow went wrong; the message is one line and carries no credential. */
    public static final class FlowException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FlowException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * RFC 9728 metadata: the resource (the identifier to ask tokens for, exactly as published), the authorization
     * server to get them from, the scopes it lists, and where the document was read.
     */
    public record ResourceMetadata(URI metadataUrl, URI resource, URI authorizationServer, List<String> scopes) {
    }

    /**
     * RFC 8414 metadata (or OpenID's, read from {@code metadataUrl}; null for the 2025-03-26 default endpoints):
     * the endpoints of the authorization server and what it supports.
     *
     * @param issParameterSupported RFC 9207: the server puts {@code iss} in every authorization response
     * @param scopes                its {@code scopes_supported} (empty when it lists none)
     * @param authMethods           its {@code token_endpoint_auth_methods_supported} (empty when it lists none)
     * @param clientIdMetadataDocuments it accepts an https URL as client_id (a Client ID Metadata Document)
     */
    public record ServerMetadata(URI issuer, URI metadataUrl, URI authorization, URI token, URI registration,
            boolean issParameterSupported, List<String> scopes, List<String> authMethods,
            boolean clientIdMetadataDocuments) {
    }

    /**
     * An access token, the scopes the authorization server says it granted, and a refresh token if it gave one
     * (null otherwise: the lesson's server gives none to public clients).
     */
    public record Granted(String accessToken, Set<String> scopes, String refreshToken) {
        public Granted(String accessToken, Set<String> scopes) {
            this(accessToken, scopes, null);
        }

        @Override
        public String toString() {
            return "Granted[(token hidden), " + scopes + (refreshToken == null ? "]" : ", (refresh token hidden)]");
        }
    }

    /**
     * The scope a client that wants a refresh token asks for (OpenID Connect Core §11), and only where the
     * authorization server lists it in {@code scopes_supported} (MCP 2026-07-28, SEP-2207).
     */
    public static final String OFFLINE_ACCESS = "offline_access";

    private AuthorizationCodeFlow() {
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

    /**
     * The protected resource metadata of {@code endpoint}, from the first of {@link Discovery#resourceMetadata}
     * that answers 200; empty when none does (then the 2025-03-26 rules apply). Its {@code resource} must be the
     * identifier the document was looked up for (RFC 9728 §3.3), else the client stops before anything else.
     */
    public static Optional<ResourceMetadata> resourceMetadata(URI endpoint, String fromChallenge) {
        for (Discovery.Candidate candidate : Discovery.resourceMetadata(endpoint, fromChallenge)) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(candidate.metadataUrl()).GET());
            if (response.statusCode() != 200) {
                continue;
            }
            Map<String, Object> json = json(response, candidate.metadataUrl());
            if (!candidate.resource().equals(json.get("resource"))) {
                throw new FlowException("the resource metadata is about " + json.get("resource") + ", not "
                        + candidate.resource());
            }
            if (!(json.get("authorization_servers") instanceof List<?> servers) || servers.isEmpty()
                    || !(servers.get(0) instanceof String issuer)) {
                throw new FlowException("the resource metadata names no authorization server");
            }
            return Optional.of(new ResourceMetadata(candidate.metadataUrl(), URI.create(candidate.resource()),
                    URI.create(issuer), strings(json, "scopes_supported")));
        }
        return Optional.empty();
    }

    /**
     * The metadata of an issuer, from the first of {@link Discovery#authorizationServerMetadata} that answers 200.
     * It must name the issuer it was fetched for (RFC 8414 §3.3): else an attacker's document could send the
     * user's login and code elsewhere, so the client stops.
     */
    public static ServerMetadata serverMetadata(URI issuer) {
        for (URI url : Discovery.authorizationServerMetadata(issuer)) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(url).GET());
            if (response.statusCode() != 200) {
                continue;
            }
            Map<String, Object> json = json(response, url);
            if (!issuer.toString().equals(json.get("issuer"))) {
                throw new FlowException("the metadata at " + url + " names another issuer: " + json.get("issuer"));
            }
            return serverMetadata(issuer, url, json);
        }
        throw new FlowException("the authorization server " + issuer + " publishes no metadata");
    }

    /**
     * MCP 2025-03-26, for a server without resource metadata: RFC 8414 metadata at the MCP server's origin, else
     * the default endpoints there ({@code /authorize}, {@code /token}, {@code /register}). That revision names no
     * issuer to compare with: the document comes from the MCP server's own origin, and its {@code issuer} is kept
     * as given, for the RFC 9207 check of the authorization response.
     */
    public static ServerMetadata legacyServerMetadata(URI endpoint) {
        URI url = Discovery.legacyAuthorizationServerMetadata(endpoint);
        HttpResponse<String> response = send(HttpRequest.newBuilder(url).GET());
        if (response.statusCode() == 200) {
            Map<String, Object> json = json(response, url);
            return serverMetadata(json.get("issuer") instanceof String issuer ? URI.create(issuer)
                    : URI.create(Discovery.origin(endpoint)), url, json);
        }
        return new ServerMetadata(URI.create(Discovery.origin(endpoint)), null,
                Discovery.legacyEndpoint(endpoint, "/authorize"), Discovery.legacyEndpoint(endpoint, "/token"),
                Discovery.legacyEndpoint(endpoint, "/register"), false, List.of(), List.of(), false);
    }

    private static ServerMetadata serverMetadata(URI issuer, URI url, Map<String, Object> json) {
        return new ServerMetadata(issuer, url, uri(json, "authorization_endpoint"), uri(json, "token_endpoint"),
                json.get("registration_endpoint") instanceof String registration ? URI.create(registration) : null,
                Boolean.TRUE.equals(json.get("authorization_response_iss_parameter_supported")),
                strings(json, "scopes_supported"), strings(json, "token_endpoint_auth_methods_supported"),
                Boolean.TRUE.equals(json.get("client_id_metadata_document_supported")));
    }

    /** Registers a public client (RFC 7591). Returns its client_id. */
    public static String register(ServerMetadata server) {
        return register(server, RegisteredClient.NONE).clientId();
    }

    /**
     * Registers this client (RFC 7591) with a loopback redirect URI, as a native application (OpenID Connect
     * Dynamic Client Registration's {@code application_type}, which MCP asks for: a loopback redirect is a native
     * application's); {@code method} is how it will authenticate at the token endpoint; the {@code refresh_token}
     * grant too where the server offers {@code offline_access}. The answer may hold a secret and the method the
     * server chose instead.
     */
    public static RegisteredClient register(ServerMetadata server, String method) {
        if (server.registration() == null) {
            throw new FlowException("the authorization server " + server.issuer() + " has no registration_endpoint,"
                    + " and no client is configured for it");
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("client_name", "catalog-client");
        request.put("redirect_uris", List.of(REDIRECT_URI));
        request.put("application_type", "native");
        request.put("token_endpoint_auth_method", method);
        request.put("grant_types", server.scopes().contains(OFFLINE_ACCESS)
                ? List.of("authorization_code", "refresh_token") : List.of("authorization_code"));
        request.put("response_types", List.of("code"));
        HttpResponse<String> response = send(HttpRequest.newBuilder(server.registration())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(request))));
        Map<String, Object> json = json(response, server.registration());
        if (response.statusCode() != 201 || !(json.get("client_id") instanceof String clientId)) {
            throw new FlowException("registration answered HTTP " + response.statusCode() + " " + json.get("error"));
        }
        String secret = json.get("client_secret") instanceof String value ? value : null;
        String chosen = json.get("token_endpoint_auth_method") instanceof String value ? value
                : secret == null ? RegisteredClient.NONE : method;
        return new RegisteredClient(clientId, RegisteredClient.NONE.equals(chosen) ? null : secret, chosen);
    }

    /** {@link #authorize(ServerMetadata, RegisteredClient, URI, String, UserAgent)} for a public client. */
    public static Granted authorize(ServerMetadata server, String clientId, URI resource, String scope, UserAgent user) {
        return authorize(server, RegisteredClient.publicClient(clientId), resource, scope, user);
    }

    /**
     * The authorization code flow, the client's part and the user's together: the authorization request with PKCE
     * and {@code resource}, handed to the user agent (the user logs in there), then the code redeemed.
     */
    public static Granted authorize(ServerMetadata server, RegisteredClient client, URI resource, String scope,
            UserAgent user) {
        String verifier = random(32);
        String code = code(server, client.clientId(), resource, scope, s256(verifier), user);
        return redeem(server, client, code, verifier, resource);
    }

    /**
     * The authorization request, sent through the user agent: the code the authorization server redirects to.
     * {@code scope} null or blank: no scope parameter (MCP: omit it when neither the challenge nor the resource
     * metadata names one). The answer must carry this request's {@code state}; and its {@code iss} (RFC 9207
     * §2.4), when present, must be the issuer exactly (no normalization), and must be present when the server's
     * metadata says it always sends one: else the answer may come from another authorization server (a mix-up
     * attack) and its code is not redeemed.
     */
    public static String code(ServerMetadata server, String clientId, URI resource, String scope, String challenge,
            UserAgent user) {
        String state = random(16);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", clientId);
        query.put("redirect_uri", REDIRECT_URI);
        if (scope != null && !scope.isBlank()) {
            query.put("scope", scope);
        }
        query.put("state", state);
        query.put("code_challenge", challenge);
        query.put("code_challenge_method", "S256");
        query.put("resource", resource.toString());
        URI redirect = user.authorize(URI.create(server.authorization() + "?" + form(query)));
        Map<String, String> answer = query(redirect);
        boolean ours = redirect.toString().startsWith(REDIRECT_URI) && state.equals(answer.get("state"));
        if (ours) {
            checkIssuer(server, answer.get("iss"));
        }
        if (!ours || answer.get("code") == null) {
            throw new FlowException("no authorization code: " + answer.getOrDefault("error", "unexpected redirect")
                    + (answer.containsKey("error_description") ? " (" + answer.get("error_description") + ")" : ""));
        }
        return answer.get("code");
    }

    /** RFC 9207 §2.4: the authorization response's {@code iss} against the issuer the metadata was checked for. */
    private static void checkIssuer(ServerMetadata server, String iss) {
        if (iss == null && server.issParameterSupported()) {
            throw new FlowException("the authorization response has no iss, though " + server.issuer()
                    + " says it sends one (RFC 9207): code not redeemed");
        }
        if (iss != null && !iss.equals(server.issuer().toString())) {
            throw new FlowException("the authorization response comes from " + iss + ", not " + server.issuer()
                    + " (RFC 9207): code not redeemed");
        }
    }

    /** {@link #redeem(ServerMetadata, RegisteredClient, String, String, URI)} for a public client. */
    public static Granted redeem(ServerMetadata server, String clientId, String code, String verifier, URI resource) {
        return redeem(server, RegisteredClient.publicClient(clientId), code, verifier, resource);
    }

    /**
     * The token request: the code, the PKCE verifier that only this client knows, the same {@code resource}
     * (RFC 8707), and the client's authentication as it registered it.
     */
    public static Granted redeem(ServerMetadata server, RegisteredClient client, String code, String verifier,
            URI resource) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("grant_type", "authorization_code");
        fields.put("code", code);
        fields.put("redirect_uri", REDIRECT_URI);
        fields.put("code_verifier", verifier);
        fields.put("resource", resource.toString());
        return tokenRequest(server, client, fields);
    }

    /**
     * The refresh request (RFC 6749 §6): a new access token for the same resource (RFC 8707 §2.2) without the
     * user, from the refresh token of an earlier one.
     */
    public static Granted refresh(ServerMetadata server, RegisteredClient client, String refreshToken,
            URI resource) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("grant_type", "refresh_token");
        fields.put("refresh_token", refreshToken);
        fields.put("resource", resource.toString());
        Granted granted = tokenRequest(server, client, fields);
        return granted.refreshToken() != null ? granted // RFC 6749 §6: the old one stays valid unless replaced
                : new Granted(granted.accessToken(), granted.scopes(), refreshToken);
    }

    private static Granted tokenRequest(ServerMetadata server, RegisteredClient client, Map<String, String> fields) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.token())
                .header("Content-Type", "application/x-www-form-urlencoded");
        client.authenticate(request, fields);
        HttpResponse<String> response = send(request.POST(HttpRequest.BodyPublishers.ofString(form(fields))));
        Map<String, Object> json = json(response, server.token());
        if (response.statusCode() != 200 || !(json.get("access_token") instanceof String token)) {
            throw new FlowException("the token request answered HTTP " + response.statusCode() + " "
                    + json.get("error"));
        }
        Set<String> scopes = new LinkedHashSet<>();
        if (json.get("scope") instanceof String granted && !granted.isBlank()) {
            scopes.addAll(List.of(granted.split(" ")));
        }
        return new Granted(token, scopes, json.get("refresh_token") instanceof String refresh ? refresh : null);
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

    private static List<String> strings(Map<String, Object> json, String name) {
        return json.get(name) instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
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
