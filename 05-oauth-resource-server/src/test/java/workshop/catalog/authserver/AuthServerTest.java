package workshop.catalog.authserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwk;
import io.jsonwebtoken.security.Jwks;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
import java.net.URI;
import java.net.http.HttpResponse;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.catalog.client.AuthorizationCodeFlow;
import workshop.catalog.client.HeadlessLogin;
import workshop.catalog.client.AuthorizationCodeFlow.ServerMetadata;
import workshop.catalog.support.RawHttp;
import workshop.catalog.support.TestStack;

/**
 * The stand-in authorization server, over HTTP as a client sees it: metadata, open registration for loopback public
 * clients, the authorization code flow with PKCE and resource, per-user scopes, RS256 keys and their rotation.
 */
@DisplayName("The stand-in authorization server (Spring Authorization Server)")
@SuppressWarnings("unchecked")
class AuthServerTest {

    private static TestStack stack;
    private static AuthServer as;
    private static ServerMetadata server;

    @BeforeAll
    static void start() throws Exception {
        stack = TestStack.start();
        as = stack.authServer;
        server = stack.metadata;
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    @DisplayName("RFC 8414 and OpenID metadata name the issuer http://127.0.0.1:<port>, S256 only, public clients, the catalog scopes and a registration endpoint")
    void metadata() throws Exception {
        for (String path : List.of("/.well-known/oauth-authorization-server", "/.well-known/openid-configuration")) {
            Map<String, Object> json = json(RawHttp.get(as.issuer().resolve(path)));
            assertThat(json.get("issuer")).as(path).isEqualTo("http://127.0.0.1:" + as.port());
            assertThat(json.get("jwks_uri")).isEqualTo(as.issuer() + "/oauth2/jwks");
            assertThat(json.get("code_challenge_methods_supported")).isEqualTo(List.of("S256"));
            assertThat((List<Object>) json.get("token_endpoint_auth_methods_supported")).contains("none");
            assertThat((List<Object>) json.get("scopes_supported")).contains("catalog.read", "catalog.write", "catalog.delete");
        }
        assertThat(server.registration()).isEqualTo(as.issuer().resolve("/oauth2/register"));
        // reached as localhost, it still names its one issuer (a client must then refuse it: RFC 8414 §3.3)
        Map<String, Object> viaLocalhost = json(RawHttp.get(URI.create("http://localhost:" + as.port()
                + "/.well-known/oauth-authorization-server")));
        assertThat(viaLocalhost.get("issuer")).isEqualTo(as.issuer().toString());
    }

    @Test
    @DisplayName("registration is open to public clients with loopback redirect URIs (what VS Code and the MCP Inspector send)")
    void openRegistration() throws Exception {
        HttpResponse<String> vscode = register("""
                {"client_name":"Visual Studio Code","grant_types":["authorization_code","refresh_token"],
                 "response_types":["code"],"redirect_uris":["https://vscode.dev/redirect","http://127.0.0.1/",
                 "http://127.0.0.1:33418/"],"scope":"catalog.read","token_endpoint_auth_method":"none"}""");
        assertThat(vscode.statusCode()).isEqualTo(201);
        assertThat(json(vscode)).containsEntry("token_endpoint_auth_method", "none").doesNotContainKey("client_secret");
        assertThat((List<Object>) json(vscode).get("redirect_uris")).containsExactlyInAnyOrder("http://127.0.0.1/",
                "http://127.0.0.1:33418/");
        HttpResponse<String> inspector = register("""
                {"redirect_uris":["http://localhost:6274/oauth/callback"],"token_endpoint_auth_method":"none",
                 "grant_types":["authorization_code","refresh_token"],"response_types":["code"],
                 "client_name":"MCP Inspector"}""");
        assertThat(inspector.statusCode()).isEqualTo(201);
    }

    @Test
    @DisplayName("registration refuses a confidential client and a client without a loopback redirect URI")
    void registrationRefusals() throws Exception {
        HttpResponse<String> secret = register(
                "{\"redirect_uris\":[\"http://127.0.0.1/cb\"],\"token_endpoint_auth_method\":\"client_secret_basic\"}");
        assertThat(secret.statusCode()).isEqualTo(400);
        assertThat(json(secret)).containsEntry("error", "invalid_client_metadata");
        HttpResponse<String> remote = register(
                "{\"redirect_uris\":[\"https://evil.example/cb\"],\"token_endpoint_auth_method\":\"none\"}");
        assertThat(remote.statusCode()).isEqualTo(400);
        assertThat(json(remote)).containsEntry("error", "invalid_redirect_uri");
        assertThat(AuthorizationCodeFlow.register(server)).isNotBlank();
    }

    @Test
    @DisplayName("registration, then the code flow with PKCE S256 and resource: an RS256 token of the JWKS for the resource, with the user's scopes")
    void happyPath() throws Exception {
        String clientId = AuthorizationCodeFlow.register(server);
        AuthorizationCodeFlow.Granted granted = AuthorizationCodeFlow.authorize(server, clientId, stack.mcp,
                "catalog.read catalog.write", new HeadlessLogin("bob", as.password("bob")));
        assertThat(granted.scopes()).containsExactlyInAnyOrder("catalog.read", "catalog.write");
        String kid = Jwts.parser().keyLocator(header -> publishedKey(((io.jsonwebtoken.JwsHeader) header).getKeyId()))
                .build().parseSignedClaims(granted.accessToken()).getHeader().getKeyId();
        var claims = Jwts.parser().keyLocator(header -> publishedKey(kid)).build()
                .parseSignedClaims(granted.accessToken());
        assertThat(claims.getHeader().getAlgorithm()).isEqualTo("RS256");
        assertThat(claims.getPayload().getIssuer()).isEqualTo(as.issuer().toString());
        assertThat(claims.getPayload().getAudience()).containsExactly(stack.mcp.toString());
        assertThat(claims.getPayload().getSubject()).isEqualTo("bob");
        assertThat(claims.getPayload().get("scope")).isEqualTo("catalog.read catalog.write");
    }

    @Test
    @DisplayName("each user gets only the scopes allowed: carol asking for all three gets catalog.read, alice all three")
    void perUserScopes() {
        String all = "catalog.read catalog.write catalog.delete";
        assertThat(grant("carol", all)).containsExactly("catalog.read");
        assertThat(grant("bob", all)).containsExactlyInAnyOrder("catalog.read", "catalog.write");
        assertThat(grant("alice", all)).containsExactlyInAnyOrder("catalog.read", "catalog.write", "catalog.delete");
    }

    @Test
    @DisplayName("a wrong code_verifier is refused at the token endpoint (invalid_grant); the right one redeems the code")
    void wrongVerifier() {
        String clientId = AuthorizationCodeFlow.register(server);
        String verifier = AuthorizationCodeFlow.random(32);
        String code = AuthorizationCodeFlow.code(server, clientId, stack.mcp, "catalog.read",
                AuthorizationCodeFlow.s256(verifier), new HeadlessLogin("carol", as.password("carol")));
        assertThatThrownBy(() -> AuthorizationCodeFlow.redeem(server, clientId, code, AuthorizationCodeFlow.random(32),
                stack.mcp)).hasMessage("the token request answered HTTP 400 invalid_grant");
        String second = AuthorizationCodeFlow.code(server, clientId, stack.mcp, "catalog.read",
                AuthorizationCodeFlow.s256(verifier), new HeadlessLogin("carol", as.password("carol")));
        assertThat(AuthorizationCodeFlow.redeem(server, clientId, second, verifier, stack.mcp).scopes())
                .containsExactly("catalog.read");
    }

    @Test
    @DisplayName("an authorization request without PKCE, or for another resource, gets no code; a wrong password stays on the login page")
    void refusedAuthorizations() {
        String clientId = AuthorizationCodeFlow.register(server);
        assertThatThrownBy(() -> AuthorizationCodeFlow.code(server, clientId, URI.create("http://127.0.0.1:1/other"),
                "catalog.read", AuthorizationCodeFlow.s256("x".repeat(43)),
                new HeadlessLogin("alice", as.password("alice"))))
                .hasMessageContaining("invalid_target");
        assertThatThrownBy(() -> AuthorizationCodeFlow.code(server, clientId, stack.mcp, "catalog.read", "",
                new HeadlessLogin("alice", as.password("alice")))).hasMessageContaining("invalid_request");
        assertThatThrownBy(() -> AuthorizationCodeFlow.authorize(server, clientId, stack.mcp, "catalog.read",
                new HeadlessLogin("carol", "wrong"))).hasMessage("the authorization server refused the login of carol");
        assertThat(grant("carol", "catalog.read")).containsExactly("catalog.read");
    }

    @Test
    @DisplayName("the login page is a usable HTML form: username, password and a CSRF field; a POST without the CSRF field is 403")
    void loginPage() throws Exception {
        HttpResponse<String> page = RawHttp.get(as.issuer().resolve("/login"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("name=\"username\"", "name=\"password\"", "name=\"_csrf\"");
        assertThat(page.headers().allValues("Set-Cookie")).anyMatch(cookie -> cookie.startsWith("AS_SESSION="));
        Map<String, String> form = new LinkedHashMap<>();
        form.put("username", "alice");
        form.put("password", as.password("alice"));
        assertThat(RawHttp.send("POST", as.issuer().resolve("/login"), "application/x-www-form-urlencoded",
                AuthorizationCodeFlow.form(form)).statusCode()).isEqualTo(403);
    }

    @Test
    @DisplayName("rotateSigningKey() signs with a new kid and keeps the previous key published")
    void rotation() throws Exception {
        String before = as.currentKid();
        String after = as.rotateSigningKey();
        assertThat(after).isNotEqualTo(before);
        String jwks = RawHttp.get(as.issuer().resolve("/oauth2/jwks")).body();
        assertThat(Jwks.setParser().build().parse(jwks).getKeys()).extracting(Jwk::getId).containsExactly(after, before);
        assertThat(jwks).doesNotContain("\"d\"");
        String token = stack.token("carol", "catalog.read");
        assertThat(Jwts.parser().keyLocator(header -> publishedKey(after)).build().parseSignedClaims(token)
                .getHeader().getKeyId()).isEqualTo(after);
    }

    private static List<String> grant(String user, String scope) {
        return List.copyOf(AuthorizationCodeFlow.authorize(server, stack.clientId, stack.mcp, scope,
                new HeadlessLogin(user, as.password(user))).scopes());
    }

    private static PublicKey publishedKey(String kid) {
        try {
            String jwks = RawHttp.get(as.issuer().resolve("/oauth2/jwks")).body();
            for (Jwk<?> jwk : Jwks.setParser().build().parse(jwks).getKeys()) {
                if (kid.equals(jwk.getId())) {
                    return (PublicKey) jwk.toKey();
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        throw new AssertionError("kid " + kid + " is not published");
    }

    private static HttpResponse<String> register(String json) throws Exception {
        return RawHttp.send("POST", server.registration(), "application/json", json);
    }

    private static Map<String, Object> json(HttpResponse<String> response) throws Exception {
        return McpJsonDefaults.getMapper().readValue(response.body(), new TypeRef<Map<String, Object>>() {
        });
    }
}
