package workshop.orders.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.orders.support.AuthTestServer;
import workshop.orders.support.RawHttp;

/**
 * An MCP session id travels in a plain header, so a valid token of another user must not be enough to
 * use it: SessionOwners (given) answers bob in alice's session exactly as the SDK answers an unknown
 * session, once JwtAuthFilter (02.3) passes accepted requests on through it. Every refusal is checked
 * next to alice's next request in the same session, which must pass.
 */
@DisplayName("An MCP session belongs to the user who opened it, over real HTTP")
class SessionBindingTest {

    static final String SESSION_NOT_FOUND =
            "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32603,\"message\":\"Session not found\"}}";
    private static final String TOOLS_LIST = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}";
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static AuthTestServer fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = AuthTestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    /** Status, content type and body; the body of an event stream that stays open is not waited for. */
    record Answer(int status, String contentType, String body) {
    }

    static Answer send(AuthTestServer server, String method, String session, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.mcp).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .header("Mcp-Session-Id", session)
                .header("Mcp-Protocol-Version", "2025-06-18");
        switch (method) {
            case "POST" -> request.header("Accept", "application/json, text/event-stream")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(TOOLS_LIST));
            // GET opens the session's event stream, which stays open when it is let in.
            case "GET" -> request.header("Accept", "text/event-stream").GET();
            default -> request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<InputStream> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        String type = response.headers().firstValue("Content-Type").orElse("");
        try (InputStream body = response.body()) {
            boolean stream = "GET".equals(method) && response.statusCode() == 200;
            return new Answer(response.statusCode(), type,
                    stream ? "(event stream)" : new String(body.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Opens a session as that user (initialize, then notifications/initialized) and returns its id. */
    static String openSession(AuthTestServer server, String username) throws Exception {
        String token = server.token(username);
        HttpResponse<String> opened = server.initialize(token);
        assertThat(opened.statusCode()).as("initialize by " + username).isEqualTo(200);
        String session = opened.headers().firstValue("Mcp-Session-Id").orElseThrow();
        HttpResponse<String> initialized = RawHttp.post(server.mcp,
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", "Authorization", "Bearer " + token,
                "Mcp-Session-Id", session, "Mcp-Protocol-Version", "2025-06-18");
        assertThat(initialized.statusCode()).as("notifications/initialized by " + username).isEqualTo(202);
        return session;
    }

    /** The owner's tools/list in the session: 200 and the tools. */
    static void assertTheOwnerIsServed(AuthTestServer server, String session, String username) throws Exception {
        Answer answer = send(server, "POST", session, server.token(username));
        assertThat(answer.status()).as(username + "'s tools/list in " + username + "'s session").isEqualTo(200);
        assertThat(answer.body()).contains("\"tools\"", "list_orders");
    }

    @Test
    @DisplayName("02.3 bob's valid token in alice's session gets 404, exactly as an unknown session does")
    void task02_3_anotherUsersTokenIsAnUnknownSession() throws Exception {
        String session = openSession(fixture, "alice");
        String unknown = UUID.randomUUID().toString();
        for (String method : new String[] {"POST", "GET", "DELETE"}) {
            Answer intruder = send(fixture, method, session, fixture.token("bob"));
            Answer nobody = send(fixture, method, unknown, fixture.token("bob"));
            assertThat(intruder.status()).as(method + " by bob in alice's session").isEqualTo(404);
            assertThat(intruder).as(method + " by bob in alice's session, next to an unknown session")
                    .isEqualTo(nobody);
            if (method.equals("POST")) {
                assertThat(intruder.body()).isEqualTo(SESSION_NOT_FOUND);
            }
            assertThat(intruder.body()).doesNotContain(session, "alice", "Exception", "\tat ");
            assertTheOwnerIsServed(fixture, session, "alice");
        }
    }

    @Test
    @DisplayName("02.3 bob's DELETE does not close alice's session; alice's DELETE does")
    void task02_3_onlyTheOwnerClosesTheSession() throws Exception {
        String session = openSession(fixture, "alice");
        assertThat(send(fixture, "DELETE", session, fixture.token("bob")).status()).as("DELETE by bob").isEqualTo(404);
        assertTheOwnerIsServed(fixture, session, "alice");

        assertThat(send(fixture, "DELETE", session, fixture.token("alice")).status()).as("DELETE by alice")
                .isEqualTo(200);
        Answer closed = send(fixture, "POST", session, fixture.token("alice"));
        assertThat(closed.status()).as("alice's tools/list in her closed session").isEqualTo(404);
        assertThat(closed.body()).isEqualTo(SESSION_NOT_FOUND);
        assertTheOwnerIsServed(fixture, openSession(fixture, "alice"), "alice");
    }
}
