package workshop.catalog.auth.jwt;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import workshop.catalog.client.CatalogClient;
import workshop.catalog.support.AuthTestServer;
import workshop.catalog.support.RawHttp;

@DisplayName("The login endpoints /auth/token, /auth/refresh and /auth/revoke, over real HTTP")
class AuthServletTest {

    private AuthTestServer fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = AuthTestServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    private String loginBody(String username) {
        return "{\"username\":\"" + username + "\",\"password\":\"" + fixture.users.password(username) + "\"}";
    }

    /** Every refusal below is paired with this: on the same server, bob logs in and his token opens /mcp. */
    private void assertAGoodLoginWorks() throws Exception {
        CatalogClient.Tokens tokens = fixture.login("bob");
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

    @Test
    @DisplayName("the right password gets 200 with access_token, token_type Bearer, expires_in 900 and refresh_token, not cached")
    void login() throws Exception {
        HttpResponse<String> response = fixture.post("token", loginBody("bob"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.headers().firstValue("Pragma")).hasValue("no-cache");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        Map<String, Object> body = AuthTestServer.json(response);
        assertThat(body).containsOnlyKeys("access_token", "token_type", "expires_in", "refresh_token")
                .containsEntry("token_type", "Bearer")
                .containsEntry("expires_in", 900);
        assertThat((String) body.get("access_token")).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
        assertThat((String) body.get("refresh_token")).matches("[\\w-]{43}");
        assertThat(fixture.initialize((String) body.get("access_token")).statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("a wrong password, an unknown user and a disabled account all get the same 400 invalid_grant")
    void badCredentials() throws Exception {
        fixture.users.directory.setEnabled("carol", false);
        List<String> bodies = List.of(
                "{\"username\":\"bob\",\"password\":\"" + fixture.users.password("alice") + "\"}",
                "{\"username\":\"mallory\",\"password\":\"" + fixture.users.password("bob") + "\"}",
                loginBody("carol"));
        for (String json : bodies) {
            HttpResponse<String> response = fixture.post("token", json);
            assertError(response, 400, "invalid_grant");
            assertThat(response.body()).isEqualTo(
                    "{\"error\":\"invalid_grant\",\"error_description\":\"The username or password is not valid\"}");
        }
        assertAGoodLoginWorks();
    }

    static Stream<Arguments> malformedBodies() {
        return Stream.of(
                Arguments.of("token", "", "The body is not a JSON object"),
                Arguments.of("token", "{\"username\": \"bob\", ", "The body is not a JSON object"),
                Arguments.of("token", "[\"bob\", \"secret\"]", "The body is not a JSON object"),
                Arguments.of("token", "null", "The body is not a JSON object"),
                Arguments.of("token", "\"bob\"", "The body is not a JSON object"),
                Arguments.of("token", "42", "The body is not a JSON object"),
                Arguments.of("token", "{\"username\":" + "[".repeat(4000), "The body is not a JSON object"),
                Arguments.of("token", "{}", "The field 'username' is missing"),
                Arguments.of("token", "{\"username\":\"bob\"}", "The field 'password' is missing"),
                Arguments.of("token", "{\"username\":42,\"password\":\"x\"}",
                        "The field 'username' must be a non-empty string"),
                Arguments.of("token", "{\"username\":\"bob\",\"password\":[\"x\"]}",
                        "The field 'password' must be a non-empty string"),
                Arguments.of("token", "{\"username\":\"bob\",\"password\":\"\"}",
                        "The field 'password' must be a non-empty string"),
                Arguments.of("token", "{\"username\":\"bob\",\"password\":{\"$ne\":null}}",
                        "The field 'password' must be a non-empty string"),
                Arguments.of("refresh", "{}", "The field 'refresh_token' is missing"),
                Arguments.of("refresh", "{\"refresh_token\":true}", "The field 'refresh_token' must be a non-empty string"),
                Arguments.of("refresh", "{\"refresh_token\":", "The body is not a JSON object"),
                Arguments.of("revoke", "{}", "The field 'token' is missing"),
                Arguments.of("revoke", "{\"token\":null}", "The field 'token' is missing"),
                Arguments.of("revoke", "[]", "The body is not a JSON object"));
    }

    @ParameterizedTest(name = "/auth/{0} with {1}: 400 invalid_request")
    @MethodSource("malformedBodies")
    @DisplayName("a malformed body gets 400 invalid_request that says what is wrong, never a 500")
    void malformedBody(String endpoint, String json, String description) throws Exception {
        HttpResponse<String> response = fixture.post(endpoint, json);
        assertError(response, 400, "invalid_request");
        assertThat(AuthTestServer.json(response)).containsEntry("error_description", description);
        assertAGoodLoginWorks();
    }

    @Test
    @DisplayName("a body that is not sent as application/json gets 415 invalid_request")
    void wrongContentType() throws Exception {
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", null}) {
            HttpResponse<String> response = RawHttp.send("POST", fixture.mcp.resolve("/auth/token"), type,
                    loginBody("bob"));
            assertError(response, 415, "invalid_request");
        }
        HttpResponse<String> withCharset = RawHttp.send("POST", fixture.mcp.resolve("/auth/token"),
                "application/json; charset=UTF-8", loginBody("bob"));
        assertThat(withCharset.statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("a body over 8 KB gets 413, whether or not it is announced by Content-Length")
    void oversizedBody() throws Exception {
        String padding = "x".repeat(AuthServlet.MAX_BODY_BYTES);
        HttpResponse<String> response = fixture.post("token", "{\"username\":\"bob\",\"password\":\"" + padding + "\"}");
        assertError(response, 413, "invalid_request");
        assertAGoodLoginWorks();
    }

    @Test
    @DisplayName("GET, PUT and DELETE get 405 with Allow: POST; unknown paths under /auth get 404, all JSON")
    void wrongMethodOrPath() throws Exception {
        for (String method : List.of("GET", "PUT", "DELETE")) {
            HttpResponse<String> response = RawHttp.send(method, fixture.mcp.resolve("/auth/token"), null, null);
            assertError(response, 405, "method_not_allowed");
            assertThat(response.headers().firstValue("Allow")).hasValue("POST");
        }
        for (String path : List.of("/auth", "/auth/", "/auth/tokens", "/auth/token/x")) {
            assertError(RawHttp.send("POST", fixture.mcp.resolve(path), "application/json", "{}"), 404, "not_found");
        }
        assertAGoodLoginWorks();
    }

    @Test
    @DisplayName("a refresh returns a new pair; the new access token works and the old refresh token is used up")
    void refresh() throws Exception {
        CatalogClient.Tokens first = fixture.login("bob");
        HttpResponse<String> response = fixture.refresh(first.refreshToken());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        Map<String, Object> body = AuthTestServer.json(response);
        assertThat(body).containsOnlyKeys("access_token", "token_type", "expires_in", "refresh_token");
        assertThat(body.get("access_token")).isNotEqualTo(first.accessToken());
        assertThat(body.get("refresh_token")).isNotEqualTo(first.refreshToken());
        assertThat(fixture.initialize((String) body.get("access_token")).statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("replaying a used refresh token gets 400 invalid_grant and revokes the family: the newest token fails too")
    void reuseRevokesTheFamily() throws Exception {
        CatalogClient.Tokens first = fixture.login("bob");
        String second = (String) AuthTestServer.json(fixture.refresh(first.refreshToken())).get("refresh_token");

        assertInvalidGrant(fixture.refresh(first.refreshToken()), "already used");
        assertInvalidGrant(fixture.refresh(second), "revoked");
        assertAGoodLoginWorks();
    }

    @Test
    @DisplayName("an access token, a made-up string or an expired refresh token at /auth/refresh get 400 invalid_grant")
    void badRefreshTokens() throws Exception {
        CatalogClient.Tokens tokens = fixture.login("bob");
        assertInvalidGrant(fixture.refresh(tokens.accessToken()), "not valid");
        assertInvalidGrant(fixture.refresh("made-up"), "not valid");
        fixture.clock.advance(RefreshTokens.DEFAULT_LIFETIME);
        assertInvalidGrant(fixture.refresh(tokens.refreshToken()), "expired");
        assertAGoodLoginWorks();
    }

    @Test
    @DisplayName("a refresh for an account disabled since login gets 400 invalid_grant, and works again once enabled and logged in")
    void disabledAccountCannotRefresh() throws Exception {
        CatalogClient.Tokens carol = fixture.login("carol");
        fixture.users.directory.setEnabled("carol", false);
        assertInvalidGrant(fixture.refresh(carol.refreshToken()), "disabled");

        fixture.users.directory.setEnabled("carol", true);
        CatalogClient.Tokens again = fixture.login("carol");
        assertThat(fixture.refresh(again.refreshToken()).statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("/auth/revoke answers 200 {} for any token and ends the family of a known refresh token")
    void revoke() throws Exception {
        CatalogClient.Tokens tokens = fixture.login("bob");
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
    @DisplayName("16 concurrent refreshes of one token over HTTP: exactly one 200, fifteen 400 invalid_grant, and the family revoked afterwards")
    void concurrentRefreshes() throws Exception {
        String token = fixture.login("bob").refreshToken();
        int threads = 16;
        CountDownLatch gate = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        String winner = null;
        try {
            List<Future<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                responses.add(pool.submit(() -> {
                    gate.await();
                    return fixture.refresh(token);
                }));
            }
            gate.countDown();
            int ok = 0;
            for (Future<HttpResponse<String>> response : responses) {
                HttpResponse<String> answer = response.get(30, TimeUnit.SECONDS);
                if (answer.statusCode() == 200) {
                    ok++;
                    winner = (String) AuthTestServer.json(answer).get("refresh_token");
                } else {
                    assertError(answer, 400, "invalid_grant");
                }
            }
            assertThat(ok).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        // The fifteen losers presented a used token: reuse detection revoked the family, the winner's new token too.
        assertInvalidGrant(fixture.refresh(winner), "revoked");
        assertAGoodLoginWorks();
    }

    @Test
    @DisplayName("tokens from /auth/token expire on the server's clock: 15 minutes later /mcp says the token expired")
    void accessTokenExpiresOnTheServerClock() throws Exception {
        CatalogClient.Tokens tokens = fixture.login("bob");
        fixture.clock.advance(TokenService.DEFAULT_LIFETIME.plus(Duration.ofMinutes(1)));
        HttpResponse<String> expired = fixture.initialize(tokens.accessToken());
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(RawHttp.challenge(expired)).contains("The access token expired");
        String renewed = (String) AuthTestServer.json(fixture.refresh(tokens.refreshToken())).get("access_token");
        assertThat(fixture.initialize(renewed).statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("after five wrong passwords for bob, his next login, with the right password too, gets 429 too_many_attempts and Retry-After at once; when the wait is over he gets in, and alice never waited")
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
