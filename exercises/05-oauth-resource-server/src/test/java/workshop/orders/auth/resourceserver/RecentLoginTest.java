package workshop.orders.auth.resourceserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.orders.support.LayerServer;
import workshop.orders.support.RawHttp;

/**
 * Task 05.5, the orders desk's rule of its own (RFC 9470): {@code cancel_order} needs a login (the token's
 * {@code auth_time}) within the last 300 seconds, on the server's clock. Over HTTP only, on {@link LayerServer} (a
 * verifier of the test's: no 05.3 needed): where the rule's code lives is the learner's choice. Each refusal is
 * checked next to a login that passes, so a rule that refuses every cancel earns nothing, and one that refuses
 * none earns nothing either.
 */
@DisplayName("05.5 The rule of its own: cancel_order needs a recent login")
class RecentLoginTest {

    private static final String CHALLENGE = "Bearer realm=\"mcp\", error=\"insufficient_user_authentication\", "
            + "error_description=\"cancel_order needs a login within the last 300 seconds\", max_age=\"300\", "
            + "resource_metadata=\"";
    private static final Duration TOO_OLD = Duration.ofMinutes(6);
    private static final String[] ALICE = {"orders.read", "orders.write", "orders.cancel"};
    private static LayerServer desk;
    /** On a clock that stands still: a login exactly 300 s old stays exactly 300 s old while the request runs. */
    private static LayerServer stopped;

    @BeforeAll
    static void start() throws Exception {
        desk = LayerServer.start();
        stopped = LayerServer.startStopped();
    }

    @AfterAll
    static void stop() throws Exception {
        desk.close();
        stopped.close();
    }

    /** A cancel refused by the rule: 401 with the challenge, and the order still open. */
    private static void assertLoginTooOld(LayerServer server, HttpResponse<String> refused, int id, String what) {
        assertThat(refused.statusCode()).as(what + ": must be 401 insufficient_user_authentication, the login is "
                + "not recent enough for cancel_order; the answer was " + refused.body()).isEqualTo(401);
        assertThat(RawHttp.challenge(refused)).as(what + ": the WWW-Authenticate challenge (RFC 9470)")
                .startsWith("Bearer realm=\"mcp\", error=\"insufficient_user_authentication\"").contains("max_age=\"300\"");
        assertThat(server.isOpen(id)).as(what + ": order #" + id + " must stay open").isTrue();
    }

    /** A cancel the rule lets through: 200 and the order cancelled. */
    private static void assertCancelled(HttpResponse<String> cancelled, int id, String what) {
        assertThat(cancelled.statusCode()).as(what + ": " + cancelled.body()).isEqualTo(200);
        assertThat(cancelled.body()).as(what).contains("Cancelled #" + id);
    }

    /** An order of the user's own, placed with a fresh login, to cancel. */
    private static int placed(LayerServer server, String user, String product) throws Exception {
        String fresh = server.fresh(user, ALICE);
        return LayerServer.placedId(server.place(fresh, server.open(fresh), product));
    }

    @Test
    @DisplayName("05.5 a login 6 minutes old cannot cancel: 401 with the RFC 9470 challenge and body")
    void oldLoginCannotCancel() throws Exception {
        String stale = desk.loggedIn(TOO_OLD, "alice", ALICE);
        HttpResponse<String> refused = desk.cancel(stale, desk.open(stale), 1);
        assertThat(refused.statusCode()).as("alice's cancel_order with a login 6 minutes old: " + refused.body())
                .isEqualTo(401);
        assertThat(RawHttp.challenge(refused)).as("the WWW-Authenticate challenge, parameters in this order")
                .isEqualTo(CHALLENGE + desk.metadataUrl + "\"");
        assertThat(RawHttp.json(refused)).as("the JSON body")
                .containsEntry("error", "insufficient_user_authentication")
                .containsEntry("error_description", "cancel_order needs a login within the last 300 seconds");
        assertThat(desk.isOpen(1)).as("#1 must stay open").isTrue();

        String fresh = desk.loggedIn(Duration.ofMinutes(1), "alice", "orders.read", "orders.cancel");
        int id = placed(desk, "alice", "Toner");
        assertCancelled(desk.cancel(fresh, desk.open(fresh), id), id, "alice's cancel with a login 1 minute old");
    }

    @Test
    @DisplayName("05.5 the same old token still lists and places orders: only cancel_order asks")
    void onlyCancelAsks() throws Exception {
        String stale = desk.loggedIn(TOO_OLD, "alice", ALICE);
        String session = desk.open(stale);
        int id = LayerServer.placedId(desk.place(stale, session, "Ribbon"));
        assertThat(desk.call(stale, session, "tools/call", "{\"name\":\"list_orders\",\"arguments\":{}}").body())
                .as("list_orders with a login 6 minutes old").contains("#" + id + " Ribbon");
        assertLoginTooOld(desk, desk.cancel(stale, session, id), id, "cancel_order with the same token");
    }

    @Test
    @DisplayName("05.5 a token without auth_time cannot cancel; with auth_time it can")
    void noAuthTime() throws Exception {
        // alice (orders.cancel), so that this test of 05.5 does not depend on how 05.4 treats orders.write.
        int id = placed(desk, "alice", "Folders");
        String silent = desk.tokens.token("alice", null, ALICE);
        assertLoginTooOld(desk, desk.cancel(silent, desk.open(silent), id), id,
                "alice's cancel with a token that does not say when she logged in (no auth_time)");
        String fresh = desk.fresh("alice", ALICE);
        assertCancelled(desk.cancel(fresh, desk.open(fresh), id), id, "alice's cancel with a fresh login");
    }

    @Test
    @DisplayName("05.5 a login exactly 300 s old still cancels; 301 s old it does not")
    void boundary() throws Exception {
        int first = placed(stopped, "alice", "Envelopes");
        int second = placed(stopped, "alice", "Stamps");
        String late = stopped.loggedIn(Duration.ofSeconds(301), "alice", ALICE);
        assertLoginTooOld(stopped, stopped.cancel(late, stopped.open(late), first), first,
                "a login 301 s before the server's clock");
        String edge = stopped.loggedIn(Duration.ofSeconds(300), "alice", ALICE);
        assertCancelled(stopped.cancel(edge, stopped.open(edge), second), second,
                "a login exactly 300 s before the server's clock (still recent)");
    }

    @Test
    @DisplayName("05.5 a login 20 s ahead of the clock cancels; 2 minutes ahead is not believed")
    void loginAhead() throws Exception {
        int first = placed(stopped, "alice", "Clips");
        int second = placed(stopped, "alice", "Pins");
        String ahead = stopped.loggedIn(Duration.ofMinutes(-2), "alice", ALICE);
        assertLoginTooOld(stopped, stopped.cancel(ahead, stopped.open(ahead), first), first,
                "a login 2 minutes ahead of the server's clock (beyond the 30 s of skew)");
        String skew = stopped.loggedIn(Duration.ofSeconds(-20), "alice", ALICE);
        assertCancelled(stopped.cancel(skew, stopped.open(skew), second), second,
                "a login 20 s ahead of the server's clock (within the 30 s of skew)");
    }

    @Test
    @DisplayName("05.4+05.5 the owner's cancel needs it too, on the server's clock: 4 minutes yes, 6 no")
    void ownerAndClock() throws Exception {
        String bob = desk.loggedIn(Duration.ofMinutes(4), "bob", "orders.read", "orders.write");
        String session = desk.open(bob);
        int first = LayerServer.placedId(desk.place(bob, session, "Envelopes"));
        int second = LayerServer.placedId(desk.place(bob, session, "Stamps"));
        assertCancelled(desk.cancel(bob, session, first), first, "bob cancels his own order, login 4 minutes old");
        desk.clock.advance(Duration.ofMinutes(2));
        try {
            assertLoginTooOld(desk, desk.cancel(bob, session, second), second,
                    "bob's own order, the server's clock moved 2 minutes on (login 6 minutes old)");
        } finally {
            desk.clock.advance(Duration.ofMinutes(-2));
        }
    }

    @Test
    @DisplayName("05.4+05.5 the scope check comes first: carol's old login gets 403, not 401")
    void scopeFirst() throws Exception {
        String carol = desk.loggedIn(TOO_OLD, "carol", "orders.read");
        HttpResponse<String> refused = desk.cancel(carol, desk.open(carol), 3);
        assertThat(refused.statusCode()).as("carol (orders.read only) cancels #3 with a login 6 minutes old: 403 "
                + "insufficient_scope, since logging in again would not help her; the answer was " + refused.body())
                .isEqualTo(403);
        assertThat(desk.isOpen(3)).as("#3 must stay open").isTrue();
        String alice = desk.loggedIn(TOO_OLD, "alice", "orders.read", "orders.cancel");
        assertLoginTooOld(desk, desk.cancel(alice, desk.open(alice), 3), 3,
                "alice (orders.cancel) cancels #3 with a login 6 minutes old");
    }
}
