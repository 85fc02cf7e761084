package workshop.orders.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import workshop.orders.support.AuthTestServer;
import workshop.orders.support.RawHttp;
import workshop.orders.support.RawSocket;

/**
 * Session binding, attacked as an outsider would, over a raw socket: an initialize that already names a session
 * id, and the bytes on the wire for another user's session against those for an id that never existed. Every
 * refusal is checked next to alice's own request in her session, which must pass.
 */
@DisplayName("An MCP session cannot be used or probed by another user, byte for byte")
class SessionProbingTest {

    private static final String TOOLS_LIST = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}";
    private static final String INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";

    private static RawSocket.Response send(AuthTestServer server, String method, String token, String session,
            String body) throws Exception {
        RawSocket.Request request = new RawSocket(server.server.port()).request(method, "/mcp")
                .header("Accept", "POST".equals(method) ? "application/json, text/event-stream" : "text/event-stream")
                .header("Authorization", "Bearer " + token)
                .header("Mcp-Session-Id", session);
        if (body != null) {
            request.header("Content-Type", "application/json").body(body);
        }
        return request.send();
    }

    /** alice's session, opened and initialized; fails the test unless she gets in. */
    private static String openSession(AuthTestServer server, String token, String carried) throws Exception {
        RawSocket.Request initialize = new RawSocket(server.server.port()).request("POST", "/mcp")
                .header("Accept", "application/json, text/event-stream").header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token);
        if (carried != null) {
            initialize.header("Mcp-Session-Id", carried);
        }
        RawSocket.Response opened = initialize.body(RawHttp.INITIALIZE).send();
        assertThat(opened.status()).as(opened.toString()).isEqualTo(200);
        String session = opened.header("Mcp-Session-Id").orElseThrow();
        assertThat(send(server, "POST", token, session, INITIALIZED).status()).isEqualTo(202);
        return session;
    }

    private static void assertHerSessionWorks(AuthTestServer server, String alice, String session) throws Exception {
        RawSocket.Response hers = send(server, "POST", alice, session, TOOLS_LIST);
        assertThat(hers.status()).as("alice in her own session: " + hers).isEqualTo(200);
        assertThat(hers.body()).contains("list_orders");
    }

    private static String withoutDate(String head) {
        return head.lines().filter(line -> !line.toLowerCase(Locale.ROOT).startsWith("date:"))
                .collect(Collectors.joining("\n"));
    }

    /** The same status line, headers (framing included) and body: nothing tells the two apart. */
    private static void assertSameBytes(String what, RawSocket.Response theirs, RawSocket.Response unknown) {
        assertThat(withoutDate(theirs.head())).as(what + ": status line and headers")
                .isEqualTo(withoutDate(unknown.head()));
        assertThat(theirs.body()).as(what + ": body").isEqualTo(unknown.body());
    }

    @ParameterizedTest(name = "initialize carrying Mcp-Session-Id: {0}")
    @ValueSource(strings = {"a made-up id", "an empty value", "her own earlier id"})
    @DisplayName("03.0 a session alice opens by an initialize naming a session id is hers too: bob gets 404 in it")
    void initializeNamingASessionIsBoundToo(String carried) throws Exception {
        try (AuthTestServer fixture = AuthTestServer.start()) {
            String alice = fixture.token("alice");
            String bob = fixture.token("bob");
            String earlier = openSession(fixture, alice, null);
            String value = switch (carried) {
                case "a made-up id" -> UUID.randomUUID().toString();
                case "an empty value" -> "";
                default -> earlier;
            };
            String session = openSession(fixture, alice, value);
            for (String method : new String[] {"POST", "GET", "DELETE"}) {
                RawSocket.Response theirs = send(fixture, method, bob, session, "POST".equals(method) ? TOOLS_LIST : null);
                assertThat(theirs.status()).as(method + " by bob: " + theirs).isEqualTo(404);
            }
            assertHerSessionWorks(fixture, alice, session);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"POST", "GET", "DELETE"})
    @DisplayName("03.0 bob in alice's session gets the very bytes of an id that never existed")
    void sameBytesAsAnUnknownSession(String method) throws Exception {
        try (AuthTestServer fixture = AuthTestServer.start()) {
            String alice = fixture.token("alice");
            String bob = fixture.token("bob");
            String session = openSession(fixture, alice, null);
            String body = "POST".equals(method) ? TOOLS_LIST : null;
            RawSocket.Response theirs = send(fixture, method, bob, session, body);
            assertThat(theirs.status()).as(theirs.toString()).isEqualTo(404);
            assertSameBytes(method, theirs, send(fixture, method, bob, UUID.randomUUID().toString(), body));
            assertHerSessionWorks(fixture, alice, session);
        }
    }

    // The caller's own standing comes before the session: a refused caller gets the same bytes for alice's session
    // as for an id that never existed. Graded on the JWT filter, the stand-in Caller and the PermissionFilter, so
    // neither test waits for task 03.2, nor for the other task.
    @Test
    @DisplayName("03.3 a disabled bob gets the same bytes for alice's session as for an id that never existed")
    void task03_3_disabledCallerCannotProbeASession() throws Exception {
        try (AuthTestServer fixture = AuthTestServer.withPermissionFilter()) {
            String alice = fixture.token("alice");
            String bob = fixture.token("bob");
            String session = openSession(fixture, alice, null);
            fixture.users.directory.setEnabled("bob", false);
            RawSocket.Response theirs = send(fixture, "POST", bob, session, TOOLS_LIST);
            assertThat(theirs.status()).as("a disabled bob in alice's session is refused for his account (401), before"
                    + " the session is looked at: " + theirs).isEqualTo(401);
            assertSameBytes("a disabled bob", theirs, send(fixture, "POST", bob, UUID.randomUUID().toString(),
                    TOOLS_LIST));
            assertHerSessionWorks(fixture, alice, session);
        }
    }

    @Test
    @DisplayName("03.4 carol (no User.Read) gets the same bytes for alice's session as for an id that never existed")
    void task03_4_callerWithoutPermissionCannotProbeASession() throws Exception {
        try (AuthTestServer fixture = AuthTestServer.withPermissionFilter()) {
            String alice = fixture.token("alice");
            String carol = fixture.token("carol");
            String session = openSession(fixture, alice, null);
            RawSocket.Response theirs = send(fixture, "POST", carol, session, TOOLS_LIST);
            assertThat(theirs.status()).as("carol in alice's session is refused for her permissions (403), before the"
                    + " session is looked at: " + theirs).isEqualTo(403);
            assertSameBytes("carol", theirs, send(fixture, "POST", carol, UUID.randomUUID().toString(), TOOLS_LIST));
            assertHerSessionWorks(fixture, alice, session);
        }
    }
}
