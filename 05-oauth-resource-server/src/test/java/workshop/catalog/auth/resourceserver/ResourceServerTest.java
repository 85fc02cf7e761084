package workshop.catalog.auth.resourceserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwk;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.Keys;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import workshop.catalog.client.AuthorizationCodeFlow;
import workshop.catalog.client.HeadlessLogin;
import workshop.catalog.client.CatalogClient;
import workshop.catalog.support.RawHttp;
import workshop.catalog.support.TestStack;

/**
 * The MCP server as a resource server, black box: the real authorization server and the real MCP server on free
 * ports (once for the whole class), the SDK client, and raw java.net.http where statuses and headers are asserted.
 * Each refusal is checked next to the good request it must not catch.
 */
@DisplayName("Step 05: the MCP server as an OAuth 2.1 resource server")
class ResourceServerTest {

    private static TestStack stack;
    private static String metadataUrl;
    private static String carol;
    private static String alice;

    @BeforeAll
    static void start() throws Exception {
        stack = TestStack.start();
        metadataUrl = stack.mcp.resolve("/.well-known/oauth-protected-resource/mcp").toString();
        carol = stack.token("carol", "catalog.read");
        alice = stack.token("alice", "catalog.read catalog.write catalog.delete");
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    // ---- the metadata ---------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"})
    @DisplayName("the protected resource metadata (RFC 9728) names the canonical resource, the authorization server, the scopes and the header method")
    void metadata(String path) throws Exception {
        HttpResponse<String> response = RawHttp.get(stack.mcp.resolve(path));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        Map<String, Object> json = json(response);
        assertThat(json).containsEntry("resource", stack.mcp.toString())
                .containsEntry("authorization_servers", List.of(stack.authServer.issuer().toString()))
                .containsEntry("scopes_supported", List.of("catalog.read", "catalog.write", "catalog.delete"))
                .containsEntry("bearer_methods_supported", List.of("header"));
        assertThat(stack.mcp.toString()).matches("http://127\\.0\\.0\\.1:\\d+/mcp");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"})
    @DisplayName("the metadata answers only GET: any other method gets 405 with Allow: GET, and GET still works")
    void metadataIsGetOnly(String method) throws Exception {
        HttpResponse<String> refused = RawHttp.send(method, URI.create(metadataUrl), "application/json", "{}");
        assertThat(refused.statusCode()).isEqualTo(405);
        assertThat(refused.headers().firstValue("Allow")).hasValue("GET");
        assertThat(refused.body()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(RawHttp.get(URI.create(metadataUrl)).statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("a metadata path for another resource is 404, and the metadata never echoes the request's Host")
    void metadataOfAnotherPath() throws Exception {
        assertThat(RawHttp.get(stack.mcp.resolve("/.well-known/oauth-protected-resource/other")).statusCode())
                .isEqualTo(404);
        URI viaLocalhost = URI.create("http://localhost:" + stack.mcp.getPort()
                + "/.well-known/oauth-protected-resource/mcp");
        assertThat(json(RawHttp.get(viaLocalhost))).containsEntry("resource", stack.mcp.toString());
    }

    // ---- the challenges -------------------------------------------------------------------------------------

    @Test
    @DisplayName("no token: 401 with WWW-Authenticate: Bearer realm=\"mcp\", resource_metadata=\"<PRM URL>\", scope=\"catalog.read\"; another scheme is the same")
    void noToken() throws Exception {
        for (String[] headers : List.of(new String[0], new String[] {"Authorization", "Basic YWxpY2U6eA=="})) {
            HttpResponse<String> refused = RawHttp.initialize(stack.mcp, headers);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(RawHttp.challenge(refused)).isEqualTo("Bearer realm=\"mcp\", resource_metadata=\"" + metadataUrl
                    + "\", scope=\"catalog.read\"");
            assertThat(json(refused)).containsEntry("error", "unauthorized");
        }
        assertThat(RawHttp.initialize(stack.mcp, "Authorization", "Bearer " + carol).statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("a token that does not verify: 401 with resource_metadata, scope, error=\"invalid_token\" and a fixed description")
    void invalidToken() throws Exception {
        HttpResponse<String> refused = RawHttp.initialize(stack.mcp, "Authorization", "Bearer not-a-jwt");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(RawHttp.challenge(refused)).isEqualTo("Bearer realm=\"mcp\", resource_metadata=\"" + metadataUrl
                + "\", scope=\"catalog.read\", error=\"invalid_token\", error_description=\"The access token is not a"
                + " well-formed signed JWT\"");
        assertThat(json(refused)).containsEntry("error", "invalid_token");
        assertThat(RawHttp.initialize(stack.mcp, "Authorization", "Bearer " + carol).statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("a malformed Authorization header (Bearer without a token, two headers) is 400 invalid_request")
    void malformed() throws Exception {
        HttpResponse<String> bare = RawHttp.initialize(stack.mcp, "Authorization", "Bearer");
        assertThat(bare.statusCode()).isEqualTo(400);
        assertThat(RawHttp.challenge(bare)).startsWith("Bearer realm=\"mcp\", error=\"invalid_request\"").contains("resource_metadata=");
        HttpResponse<String> two = RawHttp.initialize(stack.mcp, "Authorization", "Bearer " + carol, "Authorization",
                "Bearer " + carol);
        assertThat(two.statusCode()).isEqualTo(400);
        assertThat(json(two)).containsEntry("error", "invalid_request");
    }

    @Test
    @DisplayName("a call needing a scope the token lacks: 403, error=\"insufficient_scope\", every scope it needs plus the token's, resource_metadata; alice's passes")
    void insufficientScope() throws Exception {
        String session = open(carol);
        HttpResponse<String> delete = call(carol, session, "tools/call", "{\"name\":\"delete_product\",\"arguments\":{\"id\":1}}");
        assertThat(delete.statusCode()).isEqualTo(403);
        assertThat(RawHttp.challenge(delete)).isEqualTo("Bearer realm=\"mcp\", error=\"insufficient_scope\", scope=\"catalog.delete "
                + "catalog.read\", resource_metadata=\"" + metadataUrl + "\"");
        assertThat(json(delete)).containsEntry("error", "insufficient_scope")
                .containsEntry("error_description", "tool delete_product needs the scope catalog.delete, which the "
                        + "access token does not grant");
        HttpResponse<String> create = call(carol, session, "tools/call",
                "{\"name\":\"create_product\",\"arguments\":{\"name\":\"Lamp\",\"price\":3}}");
        assertThat(create.statusCode()).isEqualTo(403);
        assertThat(RawHttp.challenge(create)).contains("scope=\"catalog.write catalog.read\"");
        assertThat(call(carol, session, "tools/call", "{\"name\":\"list_products\",\"arguments\":{}}").body())
                .contains("#1 Laptop");

        String aliceSession = open(alice);
        HttpResponse<String> created = call(alice, aliceSession, "tools/call",
                "{\"name\":\"create_product\",\"arguments\":{\"name\":\"Short-lived\",\"price\":1}}");
        assertThat(created.statusCode()).isEqualTo(200);
        String id = created.body().replaceAll("(?s).*Created #(\\d+) Short-lived.*", "$1");
        HttpResponse<String> deleted = call(alice, aliceSession, "tools/call",
                "{\"name\":\"delete_product\",\"arguments\":{\"id\":" + id + "}}");
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(deleted.body()).contains("Deleted #" + id + " Short-lived");
    }

    @Test
    @DisplayName("the resource and the prompt need catalog.read: a token with only catalog.write gets 403 for both, carol's reads them")
    void resourceAndPromptNeedRead() throws Exception {
        String writer = stack.token("bob", "catalog.write");
        String session = open(writer);
        HttpResponse<String> read = call(writer, session, "resources/read", "{\"uri\":\"catalog://products\"}");
        assertThat(read.statusCode()).isEqualTo(403);
        assertThat(RawHttp.challenge(read)).contains("scope=\"catalog.read catalog.write\"");
        // A resource is named by its uri, whatever else its params say.
        assertThat(call(writer, session, "resources/read",
                "{\"uri\":\"catalog://products\",\"name\":\"create_product\"}").statusCode()).isEqualTo(403);
        HttpResponse<String> prompt = call(writer, session, "prompts/get", "{\"name\":\"summarize_catalog\"}");
        assertThat(prompt.statusCode()).isEqualTo(403);
        String carolSession = open(carol);
        assertThat(call(carol, carolSession, "resources/read", "{\"uri\":\"catalog://products\"}").body())
                .contains("#2 Mechanical keyboard");
        assertThat(call(carol, carolSession, "prompts/get", "{\"name\":\"summarize_catalog\"}").statusCode())
                .isEqualTo(200);
    }

    @Test
    @DisplayName("tools/list is not filtered by scope: carol and a delete-only token see every tool, each naming the scope it needs in its description and _meta")
    void toolsListNamesTheScopes() {
        for (String token : List.of(carol, stack.token("alice", "catalog.delete"))) {
            Map<String, Tool> listed = listed(token);
            assertThat(listed).containsOnlyKeys("list_products", "create_product", "delete_product", "whoami");
            Map.of("list_products", "catalog.read", "create_product", "catalog.write", "delete_product",
                    "catalog.delete", "whoami", "catalog.read").forEach((name, scope) -> {
                        assertThat(listed.get(name).description()).as(name).endsWith(" Needs the OAuth scope " + scope + ".");
                        assertThat(listed.get(name).meta()).as(name).containsEntry("securitySchemes",
                                List.of(Map.of("type", "oauth2", "scopes", List.of(scope))));
                    });
        }
    }

    @Test
    @DisplayName("alice with only catalog.read sees delete_product and its scope, gets 403 insufficient_scope calling it, and deletes with a token that has catalog.delete")
    void aliceStepsUpFromTheList() throws Exception {
        String reader = stack.token("alice", "catalog.read");
        assertThat(listed(reader).get("delete_product").meta()).containsEntry("securitySchemes",
                List.of(Map.of("type", "oauth2", "scopes", List.of("catalog.delete"))));
        String created = call(alice, open(alice), "tools/call",
                "{\"name\":\"create_product\",\"arguments\":{\"name\":\"Stepped-up\",\"price\":1}}").body();
        String id = created.replaceAll("(?s).*Created #(\\d+) Stepped-up.*", "$1");
        String delete = "{\"name\":\"delete_product\",\"arguments\":{\"id\":" + id + "}}";

        HttpResponse<String> refused = call(reader, open(reader), "tools/call", delete);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(RawHttp.challenge(refused)).contains("error=\"insufficient_scope\"",
                "scope=\"catalog.delete catalog.read\"");

        String steppedUp = stack.token("alice", "catalog.delete catalog.read");
        HttpResponse<String> deleted = call(steppedUp, open(steppedUp), "tools/call", delete);
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(deleted.body()).contains("Deleted #" + id + " Stepped-up");
    }

    @Test
    @DisplayName("carol sees delete_product too, but her step-up is granted only catalog.read: the call stays 403 and her client says why")
    void carolsStepUpIsRefusedWithAReason() throws Exception {
        String steppedUp = stack.token("carol", "catalog.delete catalog.read");
        assertThat(claims(steppedUp).get("scope").toString()).doesNotContain("catalog.delete");
        HttpResponse<String> refused = call(steppedUp, open(steppedUp), "tools/call",
                "{\"name\":\"delete_product\",\"arguments\":{\"id\":1}}");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(json(refused)).containsEntry("error_description", "tool delete_product needs the scope "
                + "catalog.delete, which the access token does not grant");

        try (CatalogClient client = CatalogClient.connect(stack.mcp,
                new HeadlessLogin("carol", stack.authServer.password("carol")), (request, result) -> { })) {
            assertThat(client.toolNames()).contains("delete_product");
            assertThatThrownBy(() -> client.call("delete_product", Map.of("id", 1)))
                    .satisfies(failure -> assertThat(CatalogClient.explain(failure)).startsWith("step-up refused")
                            .endsWith("(carol may not have catalog.delete)"));
            assertThat(CatalogClient.text(client.call("whoami", Map.of()))).contains("(carol)");
        }
    }

    @Test
    @DisplayName("the SDK client sees the 403 insufficient_scope as an authorization error with the challenge")
    void sdkClientSeesTheStepUpChallenge() {
        try (CatalogClient client = CatalogClient.connect(stack.mcp, carol)) {
            assertThatThrownBy(() -> client.call("delete_product", Map.of("id", 1)))
                    .satisfies(refused -> assertThat(CatalogClient.explain(refused)).startsWith("HTTP 403")
                            .contains("error=\"insufficient_scope\"", "scope=\"catalog.delete catalog.read\""));
            assertThat(CatalogClient.text(client.call("whoami", Map.of()))).contains("(carol)");
        }
    }

    // ---- the rejection matrix -------------------------------------------------------------------------------

    @Test
    @DisplayName("a token whose aud names the server as localhost instead of its canonical 127.0.0.1 is for another resource: 401")
    void localhostAudienceIsRefused() throws Exception {
        URI localhost = URI.create("http://localhost:" + stack.mcp.getPort() + "/mcp");
        String other;
        String another;
        try {
            stack.authServer.resource(localhost);
            other = stack.token("alice", "catalog.read", localhost);
            URI elsewhere = URI.create("http://127.0.0.1:1/mcp");
            stack.authServer.resource(elsewhere);
            another = stack.token("alice", "catalog.read", elsewhere);
        } finally {
            stack.authServer.resource(stack.mcp);
        }
        assertThat(claims(other)).containsEntry("aud", localhost.toString()); // one audience: a string (RFC 7519 §4.1.3)
        assertRefused(other, "The access token is for another resource");
        assertRefused(another, "The access token is for another resource");
        // and the server is reachable as localhost all the same (Host check): the token decides, not the Host header
        assertThat(RawHttp.initialize(localhost, "Authorization", "Bearer " + alice).statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("the authorization server refuses a resource spelled differently from the configured one (invalid_target)")
    void authorizationServerRefusesOtherSpelling() {
        URI localhost = URI.create("http://localhost:" + stack.mcp.getPort() + "/mcp");
        assertThatThrownBy(() -> AuthorizationCodeFlow.authorize(stack.metadata, stack.clientId, localhost,
                "catalog.read", new HeadlessLogin("carol", stack.authServer.password("carol"))))
                .hasMessageContaining("invalid_target");
        assertThat(stack.token("carol", "catalog.read")).isNotBlank();
    }

    @Test
    @DisplayName("an expired token (the server's clock moved past exp plus 30 s) and one not valid yet (clock before nbf minus 30 s) are refused")
    void timeWindow() throws Exception {
        String token = stack.token("carol", "catalog.read");
        Instant expiry = Instant.ofEpochSecond((long) claims(token).get("exp"));
        Instant notBefore = Instant.ofEpochSecond((long) claims(token).get("nbf"));
        // The clock follows real time; margins of 5 s keep a slow machine from landing on the boundary.
        Duration toExpiry = Duration.between(stack.clock.instant(), expiry);
        stack.clock.advance(toExpiry.plusSeconds(25));
        try {
            assertAccepted(token);
            stack.clock.advance(Duration.ofSeconds(10));
            assertRefused(token, "The access token expired");
        } finally {
            stack.clock.advance(toExpiry.plusSeconds(35).negated());
        }
        Duration toNotBefore = Duration.between(stack.clock.instant(), notBefore).minusSeconds(35);
        stack.clock.advance(toNotBefore);
        try {
            assertRefused(token, "The access token is not valid yet");
        } finally {
            stack.clock.advance(toNotBefore.negated());
        }
        assertAccepted(token);
    }

    @Test
    @DisplayName("alg none, HS256 keyed with the authorization server's public key, ES256 of someone else: not signed with RS256, 401")
    void algorithmConfusion() throws Exception {
        Map<String, Object> claims = claims(alice);
        String kid = stack.authServer.currentKid();
        String none = b64("{\"alg\":\"none\"}") + "." + alice.split("\\.")[1] + ".";
        assertRefused(none, "The access token is not a JWT signed with RS256");
        PublicKey published = publishedKey(kid);
        String hs256 = Jwts.builder().header().keyId(kid).and().claims(claims)
                .signWith(Keys.hmacShaKeyFor(published.getEncoded()), Jwts.SIG.HS256).compact();
        assertRefused(hs256, "The access token is not a JWT signed with RS256");
        KeyPair ec = Jwts.SIG.ES256.keyPair().build();
        String es256 = Jwts.builder().header().keyId(kid).and().claims(claims).signWith(ec.getPrivate(), Jwts.SIG.ES256)
                .compact();
        assertRefused(es256, "The access token is not a JWT signed with RS256");
        assertAccepted(alice);
    }

    @Test
    @DisplayName("an RS256 token signed by a key the authorization server never published (unknown kid, or its kid with another key): 401")
    void foreignKeys() throws Exception {
        Map<String, Object> claims = claims(alice);
        KeyPair foreign = Jwts.SIG.RS256.keyPair().build();
        String unknownKid = Jwts.builder().header().keyId(UUID.randomUUID().toString()).type("at+jwt").and().claims(claims)
                .signWith(foreign.getPrivate(), Jwts.SIG.RS256).compact();
        assertRefused(unknownKid, "The access token is signed with a key the authorization server does not publish");
        String stolenKid = Jwts.builder().header().keyId(stack.authServer.currentKid()).type("at+jwt").and().claims(claims)
                .signWith(foreign.getPrivate(), Jwts.SIG.RS256).compact();
        assertRefused(stolenKid, "The access token's signature does not verify");
        assertAccepted(alice);
    }

    @Test
    @DisplayName("a step-04 style token (HS256, typ at+jwt, a permissions array, signed with a shared secret) is refused: 401")
    void stepFourToken() throws Exception {
        String token = Jwts.builder().header().type("at+jwt").and()
                .issuer(stack.authServer.issuer().toString()).audience().add(stack.mcp.toString()).and()
                .subject("alice").claim("permissions", List.of("Admin.Write")).issuedAt(new Date())
                .expiration(new Date(System.currentTimeMillis() + 600_000))
                .signWith(Jwts.SIG.HS256.key().build()).compact();
        assertRefused(token, "The access token is not a JWT signed with RS256");
        assertAccepted(alice);
    }

    @Test
    @DisplayName("a new signing key (new kid) is picked up after the refetch interval, and unknown kids refetch the JWKS at most once per interval")
    void rotationAndRefetchLimit() throws Exception {
        IssuerKeys keys = stack.wiring.keys();
        KeyPair foreign = Jwts.SIG.RS256.keyPair().build();
        Map<String, Object> claims = claims(alice);
        java.util.function.Supplier<String> madeUp = () -> Jwts.builder().header().keyId(UUID.randomUUID().toString())
                .type("at+jwt").and().claims(claims).signWith(foreign.getPrivate(), Jwts.SIG.RS256).compact();
        stack.clock.advance(IssuerKeys.REFETCH_INTERVAL);
        Duration moved = IssuerKeys.REFETCH_INTERVAL;
        try {
            assertRefused(madeUp.get(), "The access token is signed with a key the authorization server does not publish");
            int fetches = keys.fetches(); // the set was just fetched for that kid
            stack.authServer.rotateSigningKey();
            String rotated = stack.token("alice", "catalog.read");
            assertRefused(rotated, "The access token is signed with a key the authorization server does not publish");
            for (int i = 0; i < 5; i++) {
                assertRefused(madeUp.get(), "The access token is signed with a key the authorization server does not publish");
            }
            assertThat(keys.fetches()).isEqualTo(fetches);

            stack.clock.advance(IssuerKeys.REFETCH_INTERVAL);
            moved = moved.plus(IssuerKeys.REFETCH_INTERVAL);
            assertAccepted(rotated);
            assertAccepted(alice); // the previous key is still published
            assertThat(keys.fetches()).isEqualTo(fetches + 1);
            for (int i = 0; i < 5; i++) {
                assertRefused(madeUp.get(), "The access token is signed with a key the authorization server does not publish");
            }
            assertThat(keys.fetches()).isEqualTo(fetches + 1);
        } finally {
            stack.clock.advance(moved.negated());
        }
    }

    // ---- the scope check reads the body: odd bodies ---------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "[{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"delete_product\",\"arguments\":{\"id\":2}}}]",
        "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"list_products\",\"name\":\"delete_product\",\"arguments\":{\"id\":2}}}",
        "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"delete\\u005fproduct\",\"arguments\":{\"id\":2}}}",
        "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":[\"delete_product\"],\"arguments\":{\"id\":2}}}",
        "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":\"delete_product\"}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"tools/call\",\"params\":{\"name\":\"delete_product\",\"arguments\":{\"id\":2}}}",
        "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":7}",
        "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":[\"tools/call\"],\"params\":{\"name\":\"delete_product\",\"arguments\":{\"id\":2}}}",
        "{\"jsonrpc\":{},\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"delete_product\",\"arguments\":{\"id\":2}}}",
        "not json at all",
        "",
        "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"delete_product\",\"arguments\":{\"id\":2}}} trailing"
    })
    @DisplayName("odd bodies (a batch, duplicate keys, escapes, wrong types, a notification, garbage) never delete for carol and never get a 500")
    void oddBodies(String body) throws Exception {
        String session = open(carol);
        HttpResponse<String> response = RawHttp.post(stack.mcp, body, "Authorization", "Bearer " + carol,
                "Mcp-Session-Id", session);
        assertThat(response.statusCode()).isIn(200, 202, 400, 403);
        assertThat(response.body()).doesNotContain("Deleted").doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(call(carol, session, "tools/call", "{\"name\":\"list_products\",\"arguments\":{}}").body())
                .contains("#2 Mechanical keyboard");
    }

    @Test
    @DisplayName("a body over 1 MiB is refused with 413 before the scope check parses it; a normal one passes")
    void hugeBody() throws Exception {
        String session = open(carol);
        String huge = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"delete_product\","
                + "\"arguments\":{\"id\":2},\"pad\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}}";
        HttpResponse<String> refused = RawHttp.post(stack.mcp, huge, "Authorization", "Bearer " + carol,
                "Mcp-Session-Id", session);
        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(json(refused)).containsEntry("error", "payload_too_large");
        assertThat(call(carol, session, "tools/call", "{\"name\":\"list_products\",\"arguments\":{}}").statusCode())
                .isEqualTo(200);
    }

    @Test
    @DisplayName("an MCP session stays with the token's subject: carol's token naming alice's session gets 404")
    void sessionsStayWithTheirSubject() throws Exception {
        String aliceSession = open(alice);
        assertThat(call(carol, aliceSession, "tools/call", "{\"name\":\"whoami\",\"arguments\":{}}").statusCode())
                .isEqualTo(404);
        assertThat(call(alice, aliceSession, "tools/call", "{\"name\":\"whoami\",\"arguments\":{}}").body())
                .contains("(alice)");
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static void assertRefused(String token, String description) throws Exception {
        HttpResponse<String> refused = RawHttp.initialize(stack.mcp, "Authorization", "Bearer " + token);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
        assertThat(RawHttp.challenge(refused)).isEqualTo("Bearer realm=\"mcp\", resource_metadata=\"" + metadataUrl
                + "\", scope=\"catalog.read\", error=\"invalid_token\", error_description=\"" + description + "\"");
    }

    private static void assertAccepted(String token) throws Exception {
        assertThat(RawHttp.initialize(stack.mcp, "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
    }

    /** What tools/list shows this token, by name, through the SDK's client. */
    private static Map<String, Tool> listed(String token) {
        try (CatalogClient client = CatalogClient.connect(stack.mcp, token)) {
            Map<String, Tool> tools = new java.util.LinkedHashMap<>();
            client.mcp().listTools().tools().forEach(tool -> tools.put(tool.name(), tool));
            return tools;
        }
    }

    /** Opens an MCP session with this token and returns its id. */
    static String open(String token) throws Exception {
        HttpResponse<String> opened = RawHttp.initialize(stack.mcp, "Authorization", "Bearer " + token);
        assertThat(opened.statusCode()).as(opened.body()).isEqualTo(200);
        String session = opened.headers().firstValue("Mcp-Session-Id").orElseThrow();
        RawHttp.post(stack.mcp, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", "Authorization",
                "Bearer " + token, "Mcp-Session-Id", session);
        return session;
    }

    static HttpResponse<String> call(String token, String session, String method, String params) throws Exception {
        return RawHttp.post(stack.mcp, "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"" + method + "\",\"params\":" + params
                + "}", "Authorization", "Bearer " + token, "Mcp-Session-Id", session);
    }

    private static PublicKey publishedKey(String kid) throws Exception {
        String jwks = RawHttp.get(stack.metadata.issuer().resolve("/oauth2/jwks")).body();
        for (Jwk<?> jwk : Jwks.setParser().build().parse(jwks).getKeys()) {
            if (kid.equals(jwk.getId())) {
                return (PublicKey) jwk.toKey();
            }
        }
        throw new AssertionError("kid " + kid + " is not in " + jwks);
    }

    static Map<String, Object> claims(String token) throws Exception {
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        return McpJsonDefaults.getMapper().readValue(payload, new TypeRef<Map<String, Object>>() {
        }).entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                entry -> entry.getValue() instanceof Integer number ? (Object) number.longValue() : entry.getValue()));
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, Object> json(HttpResponse<String> response) throws Exception {
        return McpJsonDefaults.getMapper().readValue(response.body(), new TypeRef<Map<String, Object>>() {
        });
    }
}
