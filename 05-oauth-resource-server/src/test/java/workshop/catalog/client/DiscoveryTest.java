package workshop.catalog.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.catalog.client.AuthorizationCodeFlow.FlowException;
import workshop.catalog.client.AuthorizationCodeFlow.ServerMetadata;

/**
 * The discovery rules the lesson's authorization server cannot show (its issuer has no path, it names itself, it
 * has metadata): each against small documents a real Jetty serves on a free port, the client's HTTP as it is.
 */
@DisplayName("Step 05's client: where it looks for metadata, what it refuses, how it authenticates")
class DiscoveryTest {

    private static final String OAUTH = "/.well-known/oauth-authorization-server";
    private static final String OPENID = "/.well-known/openid-configuration";
    private static final String RESOURCE = "/.well-known/oauth-protected-resource";

    private MetadataServer server;

    @BeforeEach
    void start() throws Exception {
        server = new MetadataServer();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    /** The metadata of an authorization server at {@code issuer}, its endpoints on the test server. */
    private Map<String, Object> metadata(String issuer, Object... more) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("issuer", issuer);
        json.put("authorization_endpoint", server.at("/authorize").toString());
        json.put("token_endpoint", server.at("/token").toString());
        json.put("registration_endpoint", server.at("/register").toString());
        for (int i = 0; i < more.length; i += 2) {
            json.put((String) more[i], more[i + 1]);
        }
        return json;
    }

    @Test
    @DisplayName("an issuer with a path: RFC 8414's inserted URL, then OpenID's inserted, then OpenID's appended, never the root")
    void issuerWithPath() {
        URI issuer = server.at("/tenant1");
        server.json("/tenant1" + OPENID, metadata(issuer.toString()));

        ServerMetadata found = AuthorizationCodeFlow.serverMetadata(issuer);

        assertThat(found.metadataUrl()).isEqualTo(server.at("/tenant1" + OPENID));
        assertThat(found.authorization()).isEqualTo(server.at("/authorize"));
        assertThat(server.lines()).containsExactly("GET " + OAUTH + "/tenant1", "GET " + OPENID + "/tenant1",
                "GET /tenant1" + OPENID);
    }

    @Test
    @DisplayName("an issuer without a path: RFC 8414's URL first, OpenID's only when that is 404")
    void issuerWithoutPath() {
        server.json(OPENID, metadata(server.origin.toString()));

        assertThat(AuthorizationCodeFlow.serverMetadata(server.origin).metadataUrl()).isEqualTo(server.at(OPENID));
        assertThat(server.lines()).containsExactly("GET " + OAUTH, "GET " + OPENID);
    }

    @Test
    @DisplayName("metadata that names another issuer is refused, and none of its endpoints is used; the same document naming the right issuer is used")
    void issuerMismatchRefused() {
        server.json(OAUTH, metadata("https://attacker.example"));
        assertThatThrownBy(() -> AuthorizationCodeFlow.serverMetadata(server.origin)).isInstanceOf(FlowException.class)
                .hasMessage("the metadata at " + server.at(OAUTH) + " names another issuer: https://attacker.example");
        assertThat(server.lines()).containsExactly("GET " + OAUTH);

        server.json(OAUTH, metadata(server.origin.toString()));
        assertThat(AuthorizationCodeFlow.serverMetadata(server.origin).issuer()).isEqualTo(server.origin);
    }

    @Test
    @DisplayName("no resource_metadata in the challenge: the path form first, then the root form, which must be about the origin")
    void resourceMetadataAtTheRoot() {
        URI endpoint = server.at("/mcp");
        server.json(RESOURCE, Map.of("resource", server.origin.toString(),
                "authorization_servers", List.of(server.origin.toString())));

        AuthorizationCodeFlow.ResourceMetadata found = AuthorizationCodeFlow.resourceMetadata(endpoint, null)
                .orElseThrow();

        assertThat(found.resource()).isEqualTo(server.origin);
        assertThat(server.lines()).containsExactly("GET " + RESOURCE + "/mcp", "GET " + RESOURCE);
    }

    @Test
    @DisplayName("a root document about another resource is refused, like any resource metadata about something else")
    void rootResourceMetadataAboutAnotherResource() {
        server.json(RESOURCE, Map.of("resource", "https://evil.example/mcp",
                "authorization_servers", List.of(server.origin.toString())));

        assertThatThrownBy(() -> AuthorizationCodeFlow.resourceMetadata(server.at("/mcp"), null))
                .hasMessage("the resource metadata is about https://evil.example/mcp, not " + server.origin);
    }

    @Test
    @DisplayName("2025-03-26, no resource metadata: the authorization server's metadata at the MCP server's origin, else its default endpoints")
    void legacyFallbacks() {
        URI endpoint = server.at("/mcp");
        assertThat(AuthorizationCodeFlow.resourceMetadata(endpoint, null)).isEmpty();

        ServerMetadata defaults = AuthorizationCodeFlow.legacyServerMetadata(endpoint);
        assertThat(List.of(defaults.issuer(), defaults.authorization(), defaults.token(), defaults.registration()))
                .containsExactly(server.origin, server.at("/authorize"), server.at("/token"), server.at("/register"));
        assertThat(defaults.metadataUrl()).isNull();

        server.json(OAUTH, metadata(server.origin.toString(), "authorization_endpoint",
                server.at("/oauth/authorize").toString()));
        assertThat(AuthorizationCodeFlow.legacyServerMetadata(endpoint).authorization())
                .isEqualTo(server.at("/oauth/authorize"));
    }

    /** An authorization endpoint that grants at once and puts {@code iss} (if not null) in its redirect. */
    private ServerMetadata authorizingWith(String iss, boolean advertised) {
        server.route("GET /authorize", request -> {
            Map<String, String> query = AuthorizationCodeFlow.query(URI.create("http://x/?" + request.query()));
            return MetadataServer.Answer.redirect(AuthorizationCodeFlow.REDIRECT_URI + "?code=a-code&state="
                    + query.get("state") + (iss == null ? "" : "&iss=" + iss));
        });
        server.json(OAUTH, metadata(server.origin.toString(),
                "authorization_response_iss_parameter_supported", advertised));
        return AuthorizationCodeFlow.serverMetadata(server.origin);
    }

    private String code(ServerMetadata metadata) {
        return AuthorizationCodeFlow.code(metadata, "a-client", server.at("/mcp"), "read",
                AuthorizationCodeFlow.s256("v".repeat(43)), new HeadlessLogin("carol", "unused"));
    }

    @Test
    @DisplayName("RFC 9207: the authorization response's iss, advertised and equal to the issuer, lets the code through; so does no iss when none is advertised")
    void issAccepted() {
        assertThat(code(authorizingWith(server.origin.toString(), true))).isEqualTo("a-code");
        assertThat(code(authorizingWith(null, false))).isEqualTo("a-code");
    }

    @Test
    @DisplayName("RFC 9207: advertised but missing, another issuer, or the issuer with a trailing slash (no normalization): the code is not redeemed")
    void issRefused() {
        assertThatThrownBy(() -> code(authorizingWith(null, true))).hasMessage("the authorization response has no"
                + " iss, though " + server.origin + " says it sends one (RFC 9207): code not redeemed");
        assertThatThrownBy(() -> code(authorizingWith("https://evil.example", true))).hasMessage("the authorization"
                + " response comes from https://evil.example, not " + server.origin + " (RFC 9207): code not redeemed");
        assertThatThrownBy(() -> code(authorizingWith(server.origin + "/", true))).hasMessageContaining(
                "comes from " + server.origin + "/, not");
        assertThatThrownBy(() -> code(authorizingWith("https://evil.example", false)))
                .hasMessageContaining("(RFC 9207)"); // present though not advertised: compared all the same
        assertThat(server.lines()).doesNotContain("POST /token");
    }

    /** A token endpoint that answers a token; the test reads how the client authenticated from what it saw. */
    private ServerMetadata tokenEndpoint(List<String> methods) {
        server.route("POST /token", request -> MetadataServer.Answer.json(Map.of("access_token", "t",
                "token_type", "Bearer")));
        server.json(OAUTH, metadata(server.origin.toString(), "token_endpoint_auth_methods_supported", methods));
        return AuthorizationCodeFlow.serverMetadata(server.origin);
    }

    private MetadataServer.Seen redeemAs(RegisteredClient client, ServerMetadata metadata) {
        AuthorizationCodeFlow.redeem(metadata, client, "a-code", "v".repeat(43), server.at("/mcp"));
        return server.seen.stream().filter(seen -> seen.line().equals("POST /token")).reduce((a, b) -> b)
                .orElseThrow();
    }

    @Test
    @DisplayName("a client registered beforehand: client_secret_basic where the server lists it (or lists nothing), client_secret_post where only that is listed, none without a secret")
    void preRegisteredClientAuthenticates() {
        String secret = AuthorizationCodeFlow.random(12) + ":&"; // with characters Basic's form-encoding escapes
        String encoded = secret.replace(":", "%3A").replace("&", "%26");
        Registrations registrations = new Registrations().preRegistered(server.origin, "pre-registered", secret);
        RegisteredClient basic = registrations.at(tokenEndpoint(List.of("client_secret_basic")), (a, b) -> { });
        assertThat(basic.method()).isEqualTo(RegisteredClient.BASIC);
        MetadataServer.Seen sent = redeemAs(basic, tokenEndpoint(List.of("client_secret_basic")));
        assertThat(new String(Base64.getDecoder().decode(sent.authorization().substring("Basic ".length())),
                StandardCharsets.UTF_8)).isEqualTo("pre-registered:" + encoded);
        assertThat(sent.body()).doesNotContain("client_secret").doesNotContain("client_id");

        RegisteredClient post = new Registrations().preRegistered(null, "pre-registered", secret)
                .at(tokenEndpoint(List.of("client_secret_post")), (a, b) -> { });
        assertThat(post.method()).isEqualTo(RegisteredClient.POST);
        sent = redeemAs(post, tokenEndpoint(List.of("client_secret_post")));
        assertThat(sent.authorization()).isNull();
        assertThat(sent.body()).contains("client_id=pre-registered", "client_secret=" + encoded);

        assertThat(new Registrations().preRegistered(server.origin, "pre-registered", secret)
                .at(tokenEndpoint(List.of()), (a, b) -> { }).method()).isEqualTo(RegisteredClient.BASIC);
        RegisteredClient none = new Registrations().preRegistered(server.origin, "public-one", null)
                .at(tokenEndpoint(List.of("none")), (a, b) -> { });
        sent = redeemAs(none, tokenEndpoint(List.of("none")));
        assertThat(sent.authorization()).isNull();
        assertThat(sent.body()).contains("client_id=public-one").doesNotContain("client_secret");
    }

    @Test
    @DisplayName("registrations are kept per issuer: the same issuer twice registers once; another issuer gets its own, and a configured client_id stays with its issuer")
    void registrationsPerIssuer() throws Exception {
        server.route("POST /register", request -> new MetadataServer.Answer(201, Map.of("Content-Type",
                "application/json"), "{\"client_id\":\"client-" + server.seen.size() + "\"}"));
        ServerMetadata first = tokenEndpoint(List.of("none"));
        try (MetadataServer other = new MetadataServer()) {
            other.route("POST /register", request -> new MetadataServer.Answer(201, Map.of("Content-Type",
                    "application/json"), "{\"client_id\":\"other-client\"}"));
            other.json(OAUTH, Map.of("issuer", other.origin.toString(), "authorization_endpoint",
                    other.at("/authorize").toString(), "token_endpoint", other.at("/token").toString(),
                    "registration_endpoint", other.at("/register").toString()));
            ServerMetadata second = AuthorizationCodeFlow.serverMetadata(other.origin);
            Registrations registrations = new Registrations().preRegistered(null, "configured", null);

            RegisteredClient atFirst = registrations.at(first, (a, b) -> { });
            assertThat(registrations.at(first, (a, b) -> { })).isSameAs(atFirst);
            assertThat(atFirst.clientId()).isEqualTo("configured");
            RegisteredClient atSecond = registrations.at(second, (a, b) -> { });
            assertThat(atSecond.clientId()).isEqualTo("other-client");
            assertThat(other.seen.stream().filter(seen -> seen.line().equals("POST /register"))).singleElement()
                    .satisfies(seen -> assertThat(seen.body())
                    .contains("\"application_type\":\"native\"").doesNotContain("configured"));
            assertThat(server.lines()).doesNotContain("POST /register");
        }
    }

    @Test
    @DisplayName("a Client ID Metadata Document is the client_id only where the server advertises support; elsewhere the client registers")
    void clientIdMetadataDocument() {
        URI document = URI.create("https://client.example/catalog-client.json");
        server.route("POST /register", request -> new MetadataServer.Answer(201, Map.of("Content-Type",
                "application/json"), "{\"client_id\":\"registered\"}"));
        server.json(OAUTH, metadata(server.origin.toString(), "client_id_metadata_document_supported", true));
        assertThat(new Registrations().clientMetadataDocument(document)
                .at(AuthorizationCodeFlow.serverMetadata(server.origin), (a, b) -> { }).clientId())
                .isEqualTo(document.toString());
        assertThat(server.lines()).doesNotContain("POST /register");

        server.json(OAUTH, metadata(server.origin.toString()));
        assertThat(new Registrations().clientMetadataDocument(document)
                .at(AuthorizationCodeFlow.serverMetadata(server.origin), (a, b) -> { }).clientId())
                .isEqualTo("registered");
    }

    @Test
    @DisplayName("offline_access: the refresh_token grant is registered only where the server lists offline_access; a refresh sends the refresh token and the resource, and keeps a refresh token the answer does not replace")
    void refreshTokens() {
        server.route("POST /register", request -> new MetadataServer.Answer(201, Map.of("Content-Type",
                "application/json"), "{\"client_id\":\"registered\"}"));
        server.json(OAUTH, metadata(server.origin.toString(), "scopes_supported", List.of("read")));
        AuthorizationCodeFlow.register(AuthorizationCodeFlow.serverMetadata(server.origin), RegisteredClient.NONE);
        server.json(OAUTH, metadata(server.origin.toString(), "scopes_supported", List.of("read", "offline_access")));
        AuthorizationCodeFlow.register(AuthorizationCodeFlow.serverMetadata(server.origin), RegisteredClient.NONE);
        List<String> registered = server.seen.stream().filter(seen -> seen.line().equals("POST /register"))
                .map(MetadataServer.Seen::body).toList();
        assertThat(registered.get(0)).contains("\"grant_types\":[\"authorization_code\"]");
        assertThat(registered.get(1)).contains("\"grant_types\":[\"authorization_code\",\"refresh_token\"]");

        String refreshToken = AuthorizationCodeFlow.random(16);
        MetadataServer.Seen sent = refresh(RegisteredClient.publicClient("registered"), refreshToken);
        assertThat(sent.body()).contains("grant_type=refresh_token", "refresh_token=" + refreshToken,
                "resource=" + AuthorizationCodeFlow.form(Map.of("r", server.at("/mcp").toString())).substring(2),
                "client_id=registered");
    }

    private MetadataServer.Seen refresh(RegisteredClient client, String refreshToken) {
        ServerMetadata metadata = tokenEndpoint(List.of("none"));
        AuthorizationCodeFlow.Granted granted = AuthorizationCodeFlow.refresh(metadata, client, refreshToken,
                server.at("/mcp"));
        assertThat(granted.refreshToken()).isEqualTo(refreshToken);
        assertThat(granted.toString()).doesNotContain(refreshToken);
        return server.seen.stream().filter(seen -> seen.line().equals("POST /token")).reduce((a, b) -> b)
                .orElseThrow();
    }

    @Test
    @DisplayName("the well-known lists themselves, as the MCP spec orders them")
    void wellKnownLists() {
        URI endpoint = URI.create("https://mcp.example/api/mcp");
        assertThat(Discovery.resourceMetadata(endpoint, null)).containsExactly(
                new Discovery.Candidate(URI.create("https://mcp.example" + RESOURCE + "/api/mcp"), endpoint.toString()),
                new Discovery.Candidate(URI.create("https://mcp.example" + RESOURCE), "https://mcp.example"));
        assertThat(Discovery.resourceMetadata(endpoint, "https://mcp.example/custom.json")).containsExactly(
                new Discovery.Candidate(URI.create("https://mcp.example/custom.json"), endpoint.toString()));
        assertThat(Discovery.authorizationServerMetadata(URI.create("https://as.example/tenant1/"))).containsExactly(
                URI.create("https://as.example" + OAUTH + "/tenant1"), URI.create("https://as.example" + OPENID
                        + "/tenant1"), URI.create("https://as.example/tenant1" + OPENID));
    }
}
