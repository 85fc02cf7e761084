package workshop.orders.auth.pertool;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.orders.auth.permissions.Caller;
import workshop.orders.client.OrdersClient;
import workshop.orders.server.Orders;
import workshop.orders.support.AuthTestServer;
import workshop.orders.support.TestPermissions;

/**
 * Task 04.6, the rule the table cannot express: cancel_order by an admin (the table's Admin.Write), or by the
 * user who placed that order when they hold User.Write. First on {@link OrderOwnership} directly, over the seeded
 * desk (#1 placed by alice, #2 by bob, #3 by carol); then over the real SDK client, on a server with the JWT
 * filter alone and a guard over the design's table plus the rule, which needs the guard of 04.2 (and 04.4 for
 * the list). Each refusal is checked next to a cancel the rule allows, so a rule that refuses everything earns
 * nothing.
 */
@DisplayName("The ownership rule: cancel_order by the user who placed the order, or by an admin")
class OrderOwnershipTest {

    private static final Map<String, Object> LAMP = Map.of("product", "Desk lamp", "quantity", 3);

    private static Map<String, Object> id(Object id) {
        return Map.of("id", id);
    }

    private static Caller caller(String subject, String name, String... permissions) {
        return new Caller(subject, name, Set.of(permissions));
    }

    private static void assertAllowed(CallToolResult result, String what) {
        assertThat(result.isError()).as(what + ": " + OrdersClient.text(result)).isNotEqualTo(Boolean.TRUE);
    }

    private static void assertRefused(CallToolResult result, int id, String username) {
        assertThat(result.isError()).as("cancel_order of #" + id + " by " + username + " must be a tool error")
                .isTrue();
        assertThat(OrdersClient.text(result)).isEqualTo(TestPermissions.cancelRefusal(id, username));
    }

    @Test
    @DisplayName("04.6 OrderOwnership.allows: bob (User.Write) may cancel #2, which he placed, and not alice's #1, carol's #3, or #99, which nobody placed")
    void task04_6_ownerMayCancel() {
        OrderOwnership rule = new OrderOwnership(Orders.seeded());
        Caller bob = TestPermissions.caller("bob");
        assertThat(rule.allows(bob, id(2))).as("bob, his own #2").isTrue();
        assertThat(rule.allows(bob, id(1))).as("bob, alice's #1").isFalse();
        assertThat(rule.allows(bob, id(3))).as("bob, carol's #3").isFalse();
        assertThat(rule.allows(bob, id(99))).as("bob, #99, which does not exist").isFalse();
    }

    @Test
    @DisplayName("04.6 the owner is the token's subject, never its display name: mallory's User.Write token named \"bob\" may not cancel bob's #2, and bob's own token named \"Robert\" may")
    void task04_6_ownerIsTheSubject() {
        OrderOwnership rule = new OrderOwnership(Orders.seeded());
        assertThat(rule.allows(caller("mallory", "bob", "User.Read", "User.Write"), id(2)))
                .as("mallory, whose display name is bob").isFalse();
        assertThat(rule.allows(caller("bob", "Robert", "User.Read", "User.Write"), id(2)))
                .as("bob, whose display name is Robert").isTrue();
    }

    @Test
    @DisplayName("04.6 owning the order is not enough without User.Write: carol (Guest.Read) may not cancel #3, which she placed, nor bob with User.Read alone his #2; bob with User.Write may")
    void task04_6_ownerNeedsUserWrite() {
        OrderOwnership rule = new OrderOwnership(Orders.seeded());
        assertThat(rule.allows(TestPermissions.caller("carol"), id(3))).as("carol, her own #3").isFalse();
        assertThat(rule.allows(caller("bob", "Bob", "User.Read"), id(2))).as("bob with User.Read alone").isFalse();
        assertThat(rule.allows(caller("bob", "Bob", "Admin.Read", "User.write"), id(2)))
                .as("bob with look-alike permissions (names are case-sensitive)").isFalse();
        assertThat(rule.allows(caller("bob", "Bob", "User.Write"), id(2))).as("bob with User.Write alone").isTrue();
    }

    @Test
    @DisplayName("04.6 an id cancel_order would not read names nobody's order: a missing id, \"2\" as a string, 2.5 and -2 are refused to bob, whose #2 passes as 2 and as 2.0")
    void task04_6_unreadableIdIsNobodys() {
        OrderOwnership rule = new OrderOwnership(Orders.seeded());
        Caller bob = TestPermissions.caller("bob");
        Map<String, Object> nullId = new HashMap<>();
        nullId.put("id", null);
        for (Map<String, Object> arguments : List.of(Map.<String, Object>of(), nullId, id("2"), id(2.5), id(-2))) {
            assertThat(rule.allows(bob, arguments)).as("bob, " + arguments).isFalse();
        }
        assertThat(rule.allows(bob, null)).as("bob, no arguments at all").isFalse();
        assertThat(rule.allows(bob, id(2))).as("bob, id 2").isTrue();
        assertThat(rule.allows(bob, id(2.0))).as("bob, id 2.0").isTrue();
    }

    @Test
    @DisplayName("04.6 OrderOwnership.mayCall: cancel_order is listed to whoever holds User.Write (bob may cancel what he placed), not to carol (Guest.Read) nor to a token without permissions")
    void task04_6_whoSeesCancel() {
        OrderOwnership rule = new OrderOwnership(Orders.seeded());
        assertThat(rule.mayCall(TestPermissions.caller("bob"))).as("bob").isTrue();
        assertThat(rule.mayCall(caller("dave", "Dave", "User.Write"))).as("User.Write alone").isTrue();
        assertThat(rule.mayCall(TestPermissions.caller("carol"))).as("carol").isFalse();
        assertThat(rule.mayCall(caller("dave", "Dave"))).as("no permissions").isFalse();
    }

    @Test
    @DisplayName("04.2+04.6 over the SDK client: bob cancels his #2 and the order he just placed; he is refused alice's #1 and carol's #3 with the rule's words, and both stay open; alice then cancels them")
    void task04_6_cancelOverTheServer() throws Exception {
        try (AuthTestServer fixture = AuthTestServer.ownedBy(TestPermissions.design());
                OrdersClient alice = fixture.connect("alice");
                OrdersClient bob = fixture.connect("bob")) {
            assertThat(OrdersClient.text(bob.call("place_order", LAMP))).isEqualTo("Placed #4 Desk lamp x 3");
            CallToolResult own = bob.call("cancel_order", id(4));
            assertAllowed(own, "bob cancels #4, which he placed");
            assertThat(OrdersClient.text(own)).isEqualTo("Cancelled #4 Desk lamp x 3");
            CallToolResult seeded = bob.call("cancel_order", id(2));
            assertAllowed(seeded, "bob cancels #2, which he placed");
            assertThat(OrdersClient.text(seeded)).isEqualTo("Cancelled #2 Stapler x 2");

            assertRefused(bob.call("cancel_order", id(1)), 1, "bob");
            assertRefused(bob.call("cancel_order", id(3)), 3, "bob");
            assertThat(OrdersClient.text(bob.call("list_orders", Map.of()))).as("the orders after bob's refusals")
                    .isEqualTo("#1 Printer paper x 10\n#3 Whiteboard marker x 24");

            assertThat(OrdersClient.text(alice.call("cancel_order", id(1)))).as("alice, an admin, cancels alice's #1")
                    .isEqualTo("Cancelled #1 Printer paper x 10");
            assertThat(OrdersClient.text(alice.call("cancel_order", id(3)))).as("alice, an admin, cancels carol's #3")
                    .isEqualTo("Cancelled #3 Whiteboard marker x 24");
        }
    }

    @Test
    @DisplayName("04.2+04.6 a refusal tells no more than a missing order would: bob's cancel of alice's open #1, of #99 that never existed and of carol's #3 once cancelled get the same words but for the id; his own #2 still cancels")
    void task04_6_refusalRevealsNothing() throws Exception {
        try (AuthTestServer fixture = AuthTestServer.ownedBy(TestPermissions.design());
                OrdersClient alice = fixture.connect("alice");
                OrdersClient bob = fixture.connect("bob")) {
            CallToolResult someoneElses = bob.call("cancel_order", id(1));
            CallToolResult missing = bob.call("cancel_order", id(99));
            assertThat(OrdersClient.text(alice.call("cancel_order", id(3)))).startsWith("Cancelled #3");
            CallToolResult cancelled = bob.call("cancel_order", id(3));
            assertRefused(someoneElses, 1, "bob");
            assertRefused(missing, 99, "bob");
            assertRefused(cancelled, 3, "bob");
            assertThat(OrdersClient.text(someoneElses).replace("order 1 ", "order 99 "))
                    .as("alice's open order and one that never existed").isEqualTo(OrdersClient.text(missing));
            assertThat(OrdersClient.text(someoneElses)).as("no owner's name in a refusal").doesNotContain("alice");

            assertAllowed(bob.call("cancel_order", id(2)), "bob cancels #2, which he placed");
            assertThat(fixture.orders.placedBy(1)).as("alice's #1 is still open").contains("alice");
        }
    }

    @Test
    @DisplayName("04.2+04.6 carol (Guest.Read) is refused cancel_order even of #3, which she placed before she became a guest, and #3 stays open; bob cancels his #2 on the same server")
    void task04_6_guestOwnerIsRefused() throws Exception {
        try (AuthTestServer fixture = AuthTestServer.ownedBy(TestPermissions.design());
                OrdersClient bob = fixture.connect("bob");
                OrdersClient carol = fixture.connect("carol")) {
            assertRefused(carol.call("cancel_order", id(3)), 3, "carol");
            assertRefused(carol.call("cancel_order", id(2)), 2, "carol");
            assertThat(fixture.orders.placedBy(3)).as("carol's #3 is still open").contains("carol");
            assertAllowed(bob.call("cancel_order", id(2)), "bob cancels #2, which he placed");
            assertThat(fixture.orders.placedBy(2)).as("bob's #2 is cancelled").isEmpty();
        }
    }

    @Test
    @DisplayName("04.4+04.6 tools/list with the ownership rule: bob now sees cancel_order, since he may cancel the orders he placed; alice sees all four, carol list_orders and whoami")
    void task04_6_toolsList() throws Exception {
        try (AuthTestServer fixture = AuthTestServer.ownedBy(TestPermissions.design())) {
            for (String username : TestPermissions.USERS) {
                try (OrdersClient client = fixture.connect(username)) {
                    assertThat(client.toolNames()).as(username)
                            .isEqualTo(TestPermissions.LISTED_WITH_OWNERSHIP.get(username));
                }
            }
        }
    }

    @Test
    @DisplayName("04.0 place_order records who placed the order: the caller's user name, handed on by the layers of Main")
    void given_placeOrderRecordsTheCaller() throws Exception {
        try (AuthTestServer full = AuthTestServer.full();
                OrdersClient bob = OrdersClient.connect(full.mcp, full.login("bob"))) {
            assertThat(OrdersClient.text(bob.call("place_order", LAMP))).isEqualTo("Placed #4 Desk lamp x 3");
            assertThat(full.orders.placedBy(4)).as("who placed #4").contains("bob");
            assertThat(full.orders.placedBy(1)).as("who placed the seeded #1").contains("alice");
        }
    }
}
