package workshop.orders.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import workshop.orders.client.OrdersClient;
import workshop.orders.support.AuthTestServer;
import workshop.orders.support.RawHttp;
import workshop.orders.support.TestTokens;

/**
 * The login endpoints of exercise 02 over real HTTP, all already working (03.0): logins, refresh with
 * rotation and reuse detection, revocation, and the refusals of malformed requests. Each refusal is
 * checked next to a request that passes. Task 03.1: the scope their access tokens carry.
 */
@DisplayName("The login endpoints /auth/token, /auth/refresh and /auth/revoke, over real HTTP")
class AuthServletTest {

    private static AuthTestServer fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = AuthTestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    private static String loginBody(String username, String password) {
        return "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}";
    }

    /** Paired with every refusal below: on the same server, bob logs in and his token opens /mcp. */
    private static void assertAGoodLoginWorks() throws Exception {
        OrdersClient.Tokens tokens = fixture.login("bob");
        assertThat(fixture.initialize(tokens.accessToken()).statusCode()).isEqualTo(200);
    }

    private static void assertError(HttpResponse<String> response, int status, String error) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        Map<String, Object> body = AuthTestServer.json(response);
        assertThat(body).containsOnlyKeys("error", "error_description").containsEntry("error", error);
        assertThat(response.body()).doesNotContain("Exception", "\tat ", "workshop.");
        assertThat(response.headers().firstValue("WWW-Authenticate")).isEmpty();
    }

    private static void assertInvalidGrant(HttpResponse<String> response, String saying) throws Exception {
        assertError(response, 400, "invalid_grant");
        assertThat(AuthTestServer.json(response).get("error_description")).asString().contains(saying);
    }

    private static void assertTokenPair(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        Map<String, Object> body = AuthTestServer.json(response);
        assertThat(body).containsOnlyKeys("access_token", "token_type", "expires_in", "refresh_token")
                .containsEntry("token_type", "Bearer")
                .containsEntry("expires_in", 900);
        assertThat((String) body.get("access_token")).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
        assertThat((String) body.get("refresh_token")).matches("[\\w-]{43}");
    }

    @Test
    @DisplayName("03.0 the right password gets 200 with a token pair, not cached")
    void given_login() throws Exception {
        HttpResponse<String> response = fixture.post("token", loginBody("bob", fixture.users.password("bob")));
        assertTokenPair(response);
        assertThat(response.headers().firstValue("Pragma")).hasValue("no-cache");
        assertThat(fixture.initialize((String) AuthTestServer.json(response).get("access_token")).statusCode())
                .isEqualTo(200);
    }

    @Test
    @DisplayName("03.0 a wrong password, an unknown user and a disabled account all get the same 400 invalid_grant")
    void given_badCredentials() throws Exception {
        fixture.users.directory.setEnabled("carol", false);
        try {
            List<String> bodies = List.of(
                    loginBody("bob", fixture.users.password("alice")),
                    loginBody("mallory", fixture.users.password("bob")),
                    loginBody("carol", fixture.users.password("carol")));
            for (String json : bodies) {
                HttpResponse<String> response = fixture.post("token", json);
                assertError(response, 400, "invalid_grant");
                assertThat(response.body()).isEqualTo(
                        "{\"error\":\"invalid_grant\",\"error_description\":\"The username or password is not valid\"}");
            }
        } finally {
            fixture.users.directory.setEnabled("carol", true);
        }
        assertAGoodLoginWorks();
    }

    @Test
    @DisplayName("03.0 a refresh returns a new pair; the new access token works and the old refresh token is used up")
    void given_refresh() throws Exception {
        OrdersClient.Tokens first = fixture.login("bob");
        HttpResponse<String> response = fixture.refresh(first.refreshToken());
        assertTokenPair(response);
        Map<String, Object> body = AuthTestServer.json(response);
        assertThat(body.get("access_token")).isNotEqualTo(first.accessToken());
        assertThat(body.get("refresh_token")).isNotEqualTo(first.refreshToken());
        assertThat(fixture.initialize((String) body.get("access_token")).statusCode()).isEqualTo(200);
        assertThat(fixture.refresh((String) body.get("refresh_token")).statusCode()).as("the new refresh token")
                .isEqualTo(200);
    }

    @Test
    @DisplayName("03.1 the tokens of /auth/token and /auth/refresh carry the user's permissions as scope")
    void task03_1_loginTokensCarryScope() throws Exception {
        assertThat(TestTokens.part(fixture.login("carol").accessToken(), 1)).as("carol's access token")
                .containsEntry("scope", "Guest.Read").doesNotContainKey("permissions");
        OrdersClient.Tokens alice = fixture.login("alice");
        String refreshed = (String) AuthTestServer.json(fixture.refresh(alice.refreshToken())).get("access_token");
        for (String token : List.of(alice.accessToken(), refreshed)) {
            assertThat(TestTokens.scopeNames(token)).as(token == refreshed ? "alice's refreshed token" : "alice's token")
                    .containsExactlyInAnyOrder("Admin.Write", "User.Read", "User.Write");
        }
    }

    @Test
    @DisplayName("03.0 a replayed refresh token gets 400 invalid_grant and revokes the family")
    void given_reuseRevokesTheFamily() throws Exception {
        OrdersClient.Tokens first = fixture.login("bob");
        String second = (String) AuthTestServer.json(fixture.refresh(first.refreshToken())).get("refresh_token");

        assertInvalidGrant(fixture.refresh(first.refreshToken()), "already used");
        assertInvalidGrant(fixture.refresh(second), "revoked");
        assertAGoodLoginWorks();
    }

    @Test
    @DisplayName("03.0 a bad or expired refresh token at /auth/refresh gets 400 invalid_grant")
    void given_badRefreshTokens() throws Exception {
        try (AuthTestServer own = AuthTestServer.start()) {
            OrdersClient.Tokens tokens = own.login("bob");
            assertInvalidGrant(own.refresh(tokens.accessToken()), "not valid");
            assertInvalidGrant(own.refresh("made-up"), "not valid");
            own.clock.advance(RefreshTokens.DEFAULT_LIFETIME);
            assertInvalidGrant(own.refresh(tokens.refreshToken()), "expired");
            assertThat(own.refresh(own.login("bob").refreshToken()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    @DisplayName("03.0 a refresh for an account disabled since login gets 400 invalid_grant")
    void given_disabledAccountCannotRefresh() throws Exception {
        OrdersClient.Tokens carol = fixture.login("carol");
        fixture.users.directory.setEnabled("carol", false);
        try {
            assertInvalidGrant(fixture.refresh(carol.refreshToken()), "disabled");
        } finally {
            fixture.users.directory.setEnabled("carol", true);
        }
        assertThat(fixture.refresh(fixture.login("carol").refreshToken()).statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("03.0 /auth/revoke answers 200 {} for any token and ends the family of a known refresh token")
    void given_revoke() throws Exception {
        OrdersClient.Tokens tokens = fixture.login("bob");
        for (String token : List.of(tokens.refreshToken(), tokens.accessToken(), "unknown")) {
            HttpResponse<String> response = fixture.post("revoke", "{\"token\":\"" + token + "\"}");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{}");
            assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        }
        assertInvalidGrant(fixture.refresh(tokens.refreshToken()), "revoked");
        assertAGoodLoginWorks();
    }

    @Test
    @DisplayName("03.0 16 concurrent refreshes of one token over HTTP: exactly one wins")
    void given_concurrentRefreshes() throws Exception {
        String token = fixture.login("bob").refreshToken();
        int threads = 16;
        CountDownLatch gate = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                responses.add(pool.submit(() -> {
                    gate.await();
                    return fixture.refresh(token);
                }));
            }
            gate.countDown();
            List<String> winners = new ArrayList<>();
            for (Future<HttpResponse<String>> response : responses) {
                HttpResponse<String> answer = response.get(30, TimeUnit.SECONDS);
                if (answer.statusCode() == 200) {
                    winners.add((String) AuthTestServer.json(answer).get("refresh_token"));
                } else {
                    assertError(answer, 400, "invalid_grant");
                }
            }
            assertThat(winners).as("refreshes that got 200").hasSize(1);
            // The fifteen losers presented a used token: that is reuse, so the winner's new token is dead too.
            assertInvalidGrant(fixture.refresh(winners.get(0)), "revoked");
        } finally {
            pool.shutdownNow();
        }
        assertAGoodLoginWorks();
    }

    @Test
    @DisplayName("03.0 a token from /auth/token opens /mcp until it expires; a refreshed one again")
    void given_accessTokenExpiresOnTheServerClock() throws Exception {
        try (AuthTestServer own = AuthTestServer.start()) {
            OrdersClient.Tokens tokens = own.login("bob");
            assertThat(own.initialize(tokens.accessToken()).statusCode()).isEqualTo(200);
            own.clock.advance(TokenService.DEFAULT_LIFETIME.plus(Duration.ofMinutes(1)));
            HttpResponse<String> expired = own.initialize(tokens.accessToken());
            assertThat(expired.statusCode()).isEqualTo(401);
            assertThat(RawHttp.challenge(expired)).contains("error_description=\"The access token expired\"");
            String renewed = (String) AuthTestServer.json(own.refresh(tokens.refreshToken())).get("access_token");
            assertThat(own.initialize(renewed).statusCode()).isEqualTo(200);
        }
    }

    static Stream<Arguments> malformedBodies() {
        return Stream.of(
                Arguments.of("token", "", "The body is not a JSON object"),
                Arguments.of("token", "{\"username\": \"bob\", ", "The body is not a JSON object"),
                Arguments.of("token", "[\"bob\", \"secret\"]", "The body is not a JSON object"),
                Arguments.of("token", "null", "The body is not a JSON object"),
                Arguments.of("token", "42", "The body is not a JSON object"),
                Arguments.of("token", Named.of("{\"username\": and 4,000 [", "{\"username\":" + "[".repeat(4000)),
                        "The body is not a JSON object"),
                Arguments.of("token", "{}", "The field 'username' is missing"),
                Arguments.of("token", "{\"username\":\"bob\"}", "The field 'password' is missing"),
                Arguments.of("token", "{\"username\":42,\"password\":\"x\"}",
                        "The field 'username' must be a non-empty string"),
                Arguments.of("token", "{\"username\":\"bob\",\"password\":\"\"}",
                        "The field 'password' must be a non-empty string"),
                Arguments.of("token", "{\"username\":\"bob\",\"password\":{\"$ne\":null}}",
                        "The field 'password' must be a non-empty string"),
                Arguments.of("refresh", "{}", "The field 'refresh_token' is missing"),
                Arguments.of("refresh", "{\"refresh_token\":true}",
                        "The field 'refresh_token' must be a non-empty string"),
                Arguments.of("refresh", "{\"refresh_token\":", "The body is not a JSON object"),
                Arguments.of("revoke", "{}", "The field 'token' is missing"),
                Arguments.of("revoke", "[]", "The body is not a JSON object"));
    }

    @ParameterizedTest(name = "/auth/{0} with {1}")
    @MethodSource("malformedBodies")
    @DisplayName("03.0 a malformed body gets 400 invalid_request that says what is wrong, never a 500")
    void given_malformedBody(String endpoint, String json, String description) throws Exception {
        HttpResponse<String> response = fixture.post(endpoint, json);
        assertError(response, 400, "invalid_request");
        assertThat(AuthTestServer.json(response)).containsEntry("error_description", description);
    }

    @Test
    @DisplayName("03.0 a body not sent as application/json gets 415, one over 8 KB gets 413, both invalid_request")
    void given_wrongContentTypeOrSize() throws Exception {
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", null}) {
            HttpResponse<String> response = RawHttp.send("POST", fixture.mcp.resolve("/auth/token"), type,
                    loginBody("bob", "whatever-password"));
            assertError(response, 415, "invalid_request");
        }
        String padding = "x".repeat(AuthServlet.MAX_BODY_BYTES);
        assertError(fixture.post("token", loginBody("bob", padding)), 413, "invalid_request");
    }

    @Test
    @DisplayName("03.0 GET, PUT and DELETE get 405 with Allow: POST; unknown paths under /auth get 404, all JSON")
    void given_wrongMethodOrPath() throws Exception {
        for (String method : List.of("GET", "PUT", "DELETE")) {
            HttpResponse<String> response = RawHttp.send(method, fixture.mcp.resolve("/auth/token"), null, null);
            assertError(response, 405, "method_not_allowed");
            assertThat(response.headers().firstValue("Allow")).hasValue("POST");
        }
        for (String path : List.of("/auth", "/auth/", "/auth/tokens", "/auth/token/x")) {
            assertError(RawHttp.send("POST", fixture.mcp.resolve(path), "application/json", "{}"), 404, "not_found");
        }
    }

    @Test
    @DisplayName("03.0 after five wrong passwords bob gets 429 and Retry-After, then gets in once the wait is over")
    void failedLoginsAreThrottled() throws Exception {
        String right = "{\"username\":\"bob\",\"password\":\"" + fixture.users.password("bob") + "\"}";
        for (int i = 0; i < 5; i++) {
            assertThat(fixture.post("token", "{\"username\":\"bob\",\"password\":\"wrong-" + i + "\"}").statusCode())
                    .isEqualTo(400);
        }
        HttpResponse<String> waiting = fixture.post("token", right);
        assertThat(waiting.statusCode()).isEqualTo(429);
        assertThat(waiting.headers().firstValue("Retry-After")).contains("1");
        assertThat(waiting.body()).startsWith("{\"error\":\"too_many_attempts\",\"error_description\":\"Too many failed "
                + "logins; try again in 1 seconds\"}");
        assertThat(fixture.post("token", "{\"username\":\"alice\",\"password\":\"" + fixture.users.password("alice")
                + "\"}").statusCode()).as("alice, from the same address").isEqualTo(200);
        fixture.clock.advance(Duration.ofSeconds(1));
        assertThat(fixture.post("token", right).statusCode()).isEqualTo(200);
    }
}
