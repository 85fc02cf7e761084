package workshop.orders.auth.resourceserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.orders.auth.pertool.FeaturePermissions.Feature;
import workshop.orders.auth.pertool.FeaturePermissions.Kind;
import workshop.orders.demo.DemoClock;
import workshop.orders.support.LayerServer;
import workshop.orders.support.RawHttp;

/**
 * Task 05.5, the orders desk's rule of its own (RFC 9470): {@code cancel_order} needs a login (the token's
 * {@code auth_time}) within the last 5 minutes, on the server's clock. On {@link RecentLogin} directly, and over HTTP
 * on {@link LayerServer} (a verifier of the test's: no 05.3 needed). Each refusal is checked next to the fresh login
 * that passes, and next to the other calls of the same token, which need no recent login.
 */
@DisplayName("05.5 The rule of its own: cancel_order needs a recent login")
class RecentLoginTest {

    private static final Duration TOO_OLD = RecentLogin.MAX_AGE.plusMinutes(1);
    private static LayerServer desk;

    @BeforeAll
    static void start() throws Exception {
        desk = LayerServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        desk.close();
    }

    @Test
    @DisplayName("05.5 RecentLogin.isRecent: a login at most 300 s ago on its clock is recent; 301 s ago, none given, or one ahead of the clock beyond 30 s is not")
    void isRecent() {
        Instant now = Instant.parse("2026-03-01T12:00:00Z");
        RecentLogin rule = new RecentLogin(new DemoClock(now));
        assertThat(rule.isRecent(now)).isTrue();
        assertThat(rule.isRecent(now.minusSeconds(300))).isTrue();
        assertThat(rule.isRecent(now.plusSeconds(20))).isTrue();
        assertThat(rule.isRecent(now.minusSeconds(301))).isFalse();
        assertThat(rule.isRecent(null)).isFalse();
        assertThat(rule.isRecent(now.plusSeconds(120))).isFalse();
        assertThat(rule.covers(new Feature(Kind.TOOL, "cancel_order"))).isTrue();
        assertThat(rule.covers(new Feature(Kind.TOOL, "place_order"))).isFalse();
    }

    @Test
    @DisplayName("05.5 alice's login 6 minutes old: her cancel_order gets 401, WWW-Authenticate: Bearer error=\"insufficient_user_authentication\", error_description, max_age=\"300\", resource_metadata; the order stays open; her other calls pass; a fresh login cancels")
    void oldLoginCannotCancel() throws Exception {
        String stale = desk.loggedIn(TOO_OLD, "alice", "orders.read", "orders.write", "orders.cancel");
        String session = desk.open(stale);
        HttpResponse<String> refused = desk.cancel(stale, session, 1);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
        assertThat(RawHttp.challenge(refused)).isEqualTo("Bearer realm=\"mcp\", error=\"insufficient_user_authentication\", "
                + "error_description=\"cancel_order needs a login within the last 300 seconds\", max_age=\"300\", "
                + "resource_metadata=\"" + desk.metadataUrl + "\"");
        assertThat(RawHttp.json(refused)).containsEntry("error", "insufficient_user_authentication")
                .containsEntry("error_description", "cancel_order needs a login within the last 300 seconds");
        assertThat(desk.isOpen(1)).isTrue();
        assertThat(desk.call(stale, session, "tools/call", "{\"name\":\"list_orders\",\"arguments\":{}}").body())
                .contains("#1 Printer paper");
        int id = LayerServer.placedId(desk.place(stale, session, "Toner"));

        String fresh = desk.loggedIn(Duration.ofMinutes(1), "alice", "orders.read", "orders.cancel");
        HttpResponse<String> cancelled = desk.cancel(fresh, desk.open(fresh), id);
        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(cancelled.body()).contains("Cancelled #" + id);
    }

    @Test
    @DisplayName("05.5 a token that does not say when its user logged in (no auth_time) cannot cancel: 401 insufficient_user_authentication; with auth_time it can")
    void noAuthTime() throws Exception {
        String bob = desk.fresh("bob", "orders.read", "orders.write");
        String session = desk.open(bob);
        int id = LayerServer.placedId(desk.place(bob, session, "Folders"));
        String silent = desk.tokens.token("bob", null, "orders.read", "orders.write");
        HttpResponse<String> refused = desk.cancel(silent, desk.open(silent), id);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
        assertThat(RawHttp.challenge(refused)).startsWith("Bearer realm=\"mcp\", error=\"insufficient_user_authentication\"")
                .contains("max_age=\"300\"");
        assertThat(desk.isOpen(id)).isTrue();
        assertThat(desk.cancel(bob, session, id).body()).contains("Cancelled #" + id);
    }

    @Test
    @DisplayName("05.5 the owner's cancel needs it too, and time is the server's clock: bob's login 4 minutes old cancels; moved 2 minutes on, it no longer does")
    void ownerAndClock() throws Exception {
        String bob = desk.loggedIn(Duration.ofMinutes(4), "bob", "orders.read", "orders.write");
        String session = desk.open(bob);
        int first = LayerServer.placedId(desk.place(bob, session, "Envelopes"));
        int second = LayerServer.placedId(desk.place(bob, session, "Stamps"));
        assertThat(desk.cancel(bob, session, first).body()).contains("Cancelled #" + first);
        desk.clock.advance(Duration.ofMinutes(2));
        try {
            HttpResponse<String> refused = desk.cancel(bob, session, second);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
            assertThat(RawHttp.challenge(refused)).startsWith("Bearer realm=\"mcp\", error=\"insufficient_user_authentication\"");
            assertThat(desk.isOpen(second)).isTrue();
        } finally {
            desk.clock.advance(Duration.ofMinutes(-2));
        }
    }

    @Test
    @DisplayName("05.4+05.5 the scope check comes first: carol's stale cancel_order is a 403 insufficient_scope, not a 401 asking her to log in again for nothing")
    void scopeFirst() throws Exception {
        String carol = desk.loggedIn(TOO_OLD, "carol", "orders.read");
        HttpResponse<String> refused = desk.cancel(carol, desk.open(carol), 3);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(desk.isOpen(3)).isTrue();
        String alice = desk.loggedIn(TOO_OLD, "alice", "orders.read", "orders.cancel");
        assertThat(desk.cancel(alice, desk.open(alice), 3).statusCode()).isEqualTo(401);
        assertThat(desk.isOpen(3)).isTrue();
    }

}
