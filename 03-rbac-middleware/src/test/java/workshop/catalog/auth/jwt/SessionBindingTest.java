package workshop.catalog.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import workshop.catalog.support.AuthTestServer;
import workshop.catalog.support.RawHttp;
import workshop.catalog.support.RawSocket;

@DisplayName("An MCP session belongs to the user who opened it, over real HTTP")
class SessionBindingTest {

    private static final String TOOLS_LIST = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}";
    private static final String UNKNOWN = "no-such-session";

    private AuthTestServer fixture;
    private String alice;
    private String bob;
    private String session;

    @BeforeEach
    void start() throws Exception {
        fixture = AuthTestServer.start();
        alice = fixture.login("alice").accessToken();
        bob = fixture.login("bob").accessToken();
        HttpResponse<String> opened = fixture.initialize(alice);
        assertThat(opened.statusCode()).isEqualTo(200);
        session = opened.headers().firstValue(SessionOwners.SESSION_HEADER).orElseThrow();
        HttpResponse<String> initialized = RawHttp.post(fixture.mcp, "{\"jsonrpc\":\"2.0\",\"method\":"
                + "\"notifications/initialized\"}", "Authorization", "Bearer " + alice, SessionOwners.SESSION_HEADER, session);
        assertThat(initialized.statusCode()).isEqualTo(202);
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    private HttpResponse<String> send(String method, String token, String sessionId) throws Exception {
        return switch (method) {
            case "POST" -> RawHttp.post(fixture.mcp, TOOLS_LIST, "Authorization", "Bearer " + token,
                    SessionOwners.SESSION_HEADER, sessionId);
            // A GET of one's own session opens an event stream that stays open: these tests only GET refusals.
            default -> RawHttp.send(method, fixture.mcp, null, null, "Accept", "text/event-stream",
                    "Authorization", "Bearer " + token, SessionOwners.SESSION_HEADER, sessionId);
        };
    }

    /** Status, content type and body the same as for an id that never existed: nothing tells the two apart. */
    private void assertAnsweredAsUnknown(String method, HttpResponse<String> response) throws Exception {
        HttpResponse<String> unknown = send(method, bob, UNKNOWN);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(response.statusCode()).as(method).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).as(method)
                .isEqualTo(unknown.headers().firstValue("Content-Type"));
        assertThat(response.body()).as(method).isEqualTo(unknown.body());
    }

    private void assertAliceStillWorks() throws Exception {
        HttpResponse<String> response = send("POST", alice, session);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"list_products\"");
    }

    @Test
    @DisplayName("bob's valid token in alice's session gets 404 for POST, GET and DELETE, exactly as an unknown session; alice's next request works")
    void anotherUsersTokenIsAnsweredAsUnknown() throws Exception {
        HttpResponse<String> post = send("POST", bob, session);
        assertAnsweredAsUnknown("POST", post);
        assertThat(post.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32603,\"message\":\"Session not found\"}}");
        assertAnsweredAsUnknown("GET", send("GET", bob, session));
        assertAnsweredAsUnknown("DELETE", send("DELETE", bob, session));
        assertAliceStillWorks();
    }

    @Test
    @DisplayName("bob's DELETE does not close alice's session; alice's DELETE does, and then her id is unknown to her too")
    void onlyTheOwnerCloses() throws Exception {
        assertThat(send("DELETE", bob, session).statusCode()).isEqualTo(404);
        assertAliceStillWorks();

        assertThat(send("DELETE", alice, session).statusCode()).isEqualTo(200);
        HttpResponse<String> after = send("POST", alice, session);
        assertThat(after.statusCode()).isEqualTo(404);
        assertThat(after.body()).contains("Session not found");
        assertThat(fixture.initialize(alice).statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("alice's open session stops at her next request once she is disabled (401 invalid_token), and works again once she is enabled")
    void disabledOwnerIsStopped() throws Exception {
        assertAliceStillWorks();
        fixture.users.directory.setEnabled("alice", false);
        HttpResponse<String> refused = send("POST", alice, session);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(RawHttp.challenge(refused)).isEqualTo("Bearer realm=\"mcp\", error=\"invalid_token\", "
                + "error_description=\"The user no longer exists or is disabled\"");
        fixture.users.directory.setEnabled("alice", true);
        assertAliceStillWorks();
    }

    /** What the server sends on the wire for bob's request, the Date header left out: it alone may differ. */
    private RawSocket.Response wire(String method, String token, String sessionId) throws Exception {
        RawSocket.Request request = new RawSocket(fixture.server.port()).request(method, "/mcp")
                .header("Accept", "application/json, text/event-stream")
                .header("Authorization", "Bearer " + token)
                .header(SessionOwners.SESSION_HEADER, sessionId);
        if ("POST".equals(method)) {
            request.header("Content-Type", "application/json").body(TOOLS_LIST);
        }
        return request.send();
    }

    private static String withoutDate(String head) {
        return head.lines().filter(line -> !line.toLowerCase(java.util.Locale.ROOT).startsWith("date:"))
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    private static void assertSameBytes(String what, RawSocket.Response theirs, RawSocket.Response unknown) {
        assertThat(withoutDate(theirs.head())).as(what + ": status line and headers").isEqualTo(withoutDate(unknown.head()));
        assertThat(theirs.body()).as(what + ": body").isEqualTo(unknown.body());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"POST", "GET", "DELETE"})
    @DisplayName("bob in alice's session and bob with an id that never existed get the same bytes on the wire: status line, every header (framing included) and body")
    void sameBytesOnTheWire(String method) throws Exception {
        RawSocket.Response theirs = wire(method, bob, session);
        assertThat(theirs.status()).as(theirs.toString()).isEqualTo(404);
        assertSameBytes(method, theirs, wire(method, bob, UNKNOWN));
        assertAliceStillWorks();
    }

    @ParameterizedTest(name = "initialize carrying Mcp-Session-Id: {0}")
    @ValueSource(strings = {"a made-up id", "an empty value", "her own earlier id"})
    @DisplayName("a session alice opens with an initialize that already names a session id is hers too: bob's token in it is answered as unknown, his DELETE leaves it open")
    void initializeNamingASessionIsBoundToo(String carried) throws Exception {
        String value = switch (carried) {
            case "a made-up id" -> java.util.UUID.randomUUID().toString();
            case "an empty value" -> "";
            default -> session;
        };
        RawSocket.Response opened = new RawSocket(fixture.server.port()).request("POST", "/mcp")
                .header("Accept", "application/json, text/event-stream").header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + alice).header(SessionOwners.SESSION_HEADER, value)
                .body(RawHttp.INITIALIZE).send();
        assertThat(opened.status()).as(opened.toString()).isEqualTo(200);
        String fresh = opened.header(SessionOwners.SESSION_HEADER).orElseThrow();
        assertThat(RawHttp.post(fixture.mcp, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                "Authorization", "Bearer " + alice, SessionOwners.SESSION_HEADER, fresh).statusCode()).isEqualTo(202);

        assertAnsweredAsUnknown("POST", send("POST", bob, fresh));
        assertAnsweredAsUnknown("GET", send("GET", bob, fresh));
        assertAnsweredAsUnknown("DELETE", send("DELETE", bob, fresh));
        HttpResponse<String> hers = send("POST", alice, fresh);
        assertThat(hers.statusCode()).as("alice's new session, after bob's DELETE").isEqualTo(200);
    }

    @Test
    @DisplayName("the caller's own standing comes first: carol and a disabled bob get the same bytes for alice's session as for an unknown one")
    void standingComesBeforeTheSession() throws Exception {
        String carol = fixture.login("carol").accessToken();
        RawSocket.Response carolInHers = wire("POST", carol, session);
        assertThat(carolInHers.status()).as(carolInHers.toString()).isNotEqualTo(200);
        assertSameBytes("carol", carolInHers, wire("POST", carol, UNKNOWN));

        fixture.users.directory.setEnabled("bob", false);
        RawSocket.Response disabledInHers = wire("POST", bob, session);
        assertThat(disabledInHers.status()).as(disabledInHers.toString()).isEqualTo(401);
        assertSameBytes("disabled bob", disabledInHers, wire("POST", bob, UNKNOWN));
        fixture.users.directory.setEnabled("bob", true);
        assertAliceStillWorks();
    }
}
