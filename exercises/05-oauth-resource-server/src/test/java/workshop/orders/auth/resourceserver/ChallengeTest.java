package workshop.orders.auth.resourceserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import workshop.orders.support.LayerServer;
import workshop.orders.support.RawHttp;
import workshop.orders.support.TestVerifier;

/**
 * Task 05.2: the 401s of the filter, on {@link LayerServer} (a verifier of the test's, so 05.3 is not needed). Each
 * refusal is checked next to the good request it must not catch, and a refused request must not reach the server:
 * it leaves sessions and orders as they were.
 */
@DisplayName("05.2 The 401 challenge")
class ChallengeTest {

    private static LayerServer desk;

    @BeforeAll
    static void start() throws Exception {
        desk = LayerServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        desk.close();
    }

    @ParameterizedTest(name = "05.2 no Bearer credential: {0}")
    @ValueSource(strings = {"(no header)", "Basic YWxpY2U6eA==", ""})
    @DisplayName("05.2 no Bearer token: 401 with resource_metadata and scope in WWW-Authenticate")
    void noToken(String authorization) throws Exception {
        String[] headers = authorization.equals("(no header)") ? new String[0]
                : new String[] {"Authorization", authorization};
        HttpResponse<String> refused = RawHttp.initialize(desk.mcp, headers);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
        assertThat(RawHttp.challenge(refused)).isEqualTo("Bearer realm=\"mcp\", resource_metadata=\"" + desk.metadataUrl
                + "\", scope=\"orders.read\"");
        assertThat(RawHttp.json(refused)).containsEntry("error", "unauthorized");
        assertThat(RawHttp.initialize(desk.mcp, "Authorization", "Bearer " + desk.fresh("carol", "orders.read"))
                .statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("05.2 a token the verifier refuses: 401 invalid_token with the verifier's sentence")
    void invalidToken() throws Exception {
        HttpResponse<String> refused = RawHttp.initialize(desk.mcp, "Authorization", "Bearer not-a-token-we-issued");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
        assertThat(RawHttp.challenge(refused)).isEqualTo("Bearer realm=\"mcp\", resource_metadata=\"" + desk.metadataUrl
                + "\", scope=\"orders.read\", error=\"invalid_token\", error_description=\"" + TestVerifier.REFUSAL + "\"");
        assertThat(RawHttp.json(refused)).containsEntry("error", "invalid_token")
                .containsEntry("error_description", TestVerifier.REFUSAL);
        assertThat(RawHttp.initialize(desk.mcp, "Authorization", "Bearer " + desk.fresh("bob", "orders.read"))
                .statusCode()).isEqualTo(200);
    }

    @ParameterizedTest(name = "05.2 {0}")
    @ValueSource(strings = {"no token", "an invalid token"})
    @DisplayName("05.2 a refused request stops at the filter: the session and the order stay as they were")
    void refusalStops(String what) throws Exception {
        String alice = desk.fresh("alice", "orders.read", "orders.write", "orders.cancel");
        String session = desk.open(alice);
        String[] credential = what.equals("no token") ? new String[0]
                : new String[] {"Authorization", "Bearer not-a-token-we-issued"};
        HttpResponse<String> cancel = RawHttp.post(desk.mcp, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"cancel_order\",\"arguments\":{\"id\":3}}}", with(credential, session));
        assertThat(cancel.statusCode()).isEqualTo(401);
        assertThat(desk.isOpen(3)).as("order #3 after a refused cancel_order").isTrue();
        HttpResponse<String> delete = RawHttp.send("DELETE", desk.mcp, null, null, with(credential, session));
        assertThat(delete.statusCode()).isEqualTo(401);
        HttpResponse<String> after = desk.call(alice, session, "tools/call", "{\"name\":\"list_orders\",\"arguments\":{}}");
        assertThat(after.statusCode()).as("the session after a refused DELETE").isEqualTo(200);
        assertThat(after.body()).contains("#3 Whiteboard marker");
    }

    @Test
    @DisplayName("05.0 a malformed Authorization is 400 invalid_request with resource_metadata")
    void givenAnswers() throws Exception {
        String carol = desk.fresh("carol", "orders.read");
        HttpResponse<String> bare = RawHttp.initialize(desk.mcp, "Authorization", "Bearer");
        assertThat(bare.statusCode()).isEqualTo(400);
        assertThat(RawHttp.challenge(bare)).startsWith("Bearer realm=\"mcp\", error=\"invalid_request\"").contains("resource_metadata=");
        HttpResponse<String> two = RawHttp.initialize(desk.mcp, "Authorization", "Bearer " + carol, "Authorization",
                "Bearer " + carol);
        assertThat(two.statusCode()).isEqualTo(400);
        assertThat(RawHttp.json(two)).containsEntry("error", "invalid_request");
        assertThat(RawHttp.initialize(desk.mcp, "Authorization", "Bearer " + carol).statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("05.0 a session stays with the token's subject: carol in alice's session gets 404")
    void sessionsStayWithTheirSubject() throws Exception {
        String alice = desk.fresh("alice", "orders.read");
        String session = desk.open(alice);
        String carol = desk.fresh("carol", "orders.read");
        assertThat(desk.call(carol, session, "tools/call", "{\"name\":\"whoami\",\"arguments\":{}}").statusCode())
                .isEqualTo(404);
        assertThat(desk.call(alice, session, "tools/call", "{\"name\":\"whoami\",\"arguments\":{}}").body())
                .contains("(alice)");
    }

    private static String[] with(String[] credential, String session) {
        String[] headers = java.util.Arrays.copyOf(credential, credential.length + 2);
        headers[credential.length] = "Mcp-Session-Id";
        headers[credential.length + 1] = session;
        return headers;
    }
}
