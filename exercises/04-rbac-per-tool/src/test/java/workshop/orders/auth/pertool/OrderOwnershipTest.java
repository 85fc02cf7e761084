package workshop.orders.auth.pertool;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.orders.client.OrdersClient;
import workshop.orders.support.AuthTestServer;
import workshop.orders.support.TestPermissions;

/**
 * Task 04.6, the rule the table cannot express: cancel_order by an admin (the table's Admin.Write), or by the
 * user who placed that order when they hold User.Write. Over the real SDK client only, on a server with the JWT
 * filter alone and a guard over the design's table plus the rule ({@code new FeatureGuard(table, new
 * OrderOwnership(orders))}): where the rule's code lives is the learner's choice. The seeded desk: #1 placed by
 * alice, #2 by bob, #3 by carol. Each refusal is checked next to a cancel the rule allows, so a rule that refuses
 * everything earns nothing, and a guard that lets everything through earns nothing either.
 */
@DisplayName("The ownership rule: cancel_order by the user who placed the order, or by an admin")
class OrderOwnershipTest {

    private static final Map<String, Object> LAMP = Map.of("product", "Desk lamp", "quantity", 3);

    private static Map<String, Object> id(Object id) {
        return Map.of("id", id);
    }

    private static void assertAllowed(CallToolResult result, String what) {
        assertThat(result.isError()).as(what + ": " + OrdersClient.text(result)).isNotEqualTo(Boolean.TRUE);
    }

    private static void assertRefused(CallToolResult result, int id, String username) {
        assertThat(result.isError()).as("cancel_order of #" + id + " by " + username + " must be a tool error")
                .isTrue();
        assertThat(OrdersClient.text(result)).as("the refusal of cancel_order of #" + id + " to " + username)
                .isEqualTo(TestPermissions.cancelRefusal(id, username));
    }

    private static void assertStillOpen(AuthTestServer fixture, int id, String owner) {
        assertThat(fixture.orders.placedBy(id)).as("#" + id + ", placed by " + owner + ", is still open after the "
                + "refusal: a refused cancel must not run the tool").contains(owner);
    }

    @Test
    @DisplayName("04.2+04.6 bob cancels #2 and an order he placed; he is refused alice's #1 and carol's #3")
    void task04_6_cancelOverTheServer() throws Exception {
        try (AuthTestServer fixture = AuthTestServer.ownedBy(TestPermissions.design());
                OrdersClient alice = fixture.connect("alice");
                OrdersClient bob = fixture.connect("bob")) {
            assertThat(OrdersClient.text(bob.call("place_order", LAMP))).isEqualTo("Placed #4 Desk lamp x 3");
            CallToolResult own = bob.call("cancel_order", id(4));
            assertAllowed(own, "bob (User.Write) cancels #4, which he placed");
            assertThat(OrdersClient.text(own)).isEqualTo("Cancelled #4 Desk lamp x 3");
            CallToolResult seeded = bob.call("cancel_order", id(2));
            assertAllowed(seeded, "bob (User.Write) cancels #2, which he placed");
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
    @DisplayName("04.2+04.6 a refusal tells no more than a missing order: alice's #1, #99 and a cancelled #3 alike")
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
                    .as("bob's refusals for alice's open #1 and for #99, which never existed, must use the same words "
                            + "but for the id: otherwise each refusal tells an attacker which orders exist")
                    .isEqualTo(OrdersClient.text(missing));
            assertThat(OrdersClient.text(someoneElses)).as("no owner's name in a refusal").doesNotContain("alice");

            assertAllowed(bob.call("cancel_order", id(2)), "bob cancels #2, which he placed");
            assertStillOpen(fixture, 1, "alice");
        }
    }

    @Test
    @DisplayName("04.2+04.6 carol (Guest.Read) may not cancel #3, which she placed; bob cancels his #2")
    void task04_6_guestOwnerIsRefused() throws Exception {
        try (AuthTestServer fixture = AuthTestServer.ownedBy(TestPermissions.design());
                OrdersClient bob = fixture.connect("bob");
                OrdersClient carol = fixture.connect("carol")) {
            assertRefused(carol.call("cancel_order", id(3)), 3, "carol");
            assertRefused(carol.call("cancel_order", id(2)), 2, "carol");
            assertStillOpen(fixture, 3, "carol");
            assertAllowed(bob.call("cancel_order", id(2)), "bob cancels #2, which he placed");
            assertThat(fixture.orders.placedBy(2)).as("bob's #2 is cancelled").isEmpty();
        }
    }

    @Test
    @DisplayName("04.2+04.6 owning is not enough without User.Write: bob with User.Read alone may not cancel #2")
    void task04_6_ownerNeedsUserWrite() throws Exception {
        try (AuthTestServer fixture = AuthTestServer.ownedBy(TestPermissions.design());
                OrdersClient readOnly = fixture.connect("bob", "Bob", "User.Read");
                OrdersClient lookAlike = fixture.connect("bob", "Bob", "Admin.Read User.write");
                OrdersClient writer = fixture.connect("bob", "Bob", "User.Write")) {
            CallToolResult refused = readOnly.call("cancel_order", id(2));
            assertThat(refused.isError()).as("bob's token with User.Read alone, cancel of his own #2: "
                    + OrdersClient.text(refused)).isTrue();
            CallToolResult near = lookAlike.call("cancel_order", id(2));
            assertThat(near.isError()).as("bob's token with Admin.Read and User.write (permission names are "
                    + "case-sensitive), cancel of his own #2: " + OrdersClient.text(near)).isTrue();
            assertStillOpen(fixture, 2, "bob");
            assertAllowed(writer.call("cancel_order", id(2)), "bob's token with User.Write alone cancels his #2");
        }
    }

    @Test
    @DisplayName("04.2+04.6 the owner is the token's subject, not its display name")
    void task04_6_ownerIsTheSubject() throws Exception {
        try (AuthTestServer fixture = AuthTestServer.ownedBy(TestPermissions.design());
                OrdersClient mallory = fixture.connect("mallory", "bob", "User.Read User.Write");
                OrdersClient robert = fixture.connect("bob", "Robert", "User.Read User.Write")) {
            CallToolResult refused = mallory.call("cancel_order", id(2));
            assertThat(refused.isError()).as("a User.Write token of subject mallory whose display name is \"bob\" "
                    + "must not cancel bob's #2 (any token may carry any display name): " + OrdersClient.text(refused))
                    .isTrue();
            assertStillOpen(fixture, 2, "bob");
            assertAllowed(robert.call("cancel_order", id(2)),
                    "bob's own token (subject bob) whose display name is \"Robert\" cancels his #2");
        }
    }

    @Test
    @DisplayName("04.2+04.6 the rule reads the id as cancel_order does: 1.0 is alice's #1, 2.0 bob's #2")
    void task04_6_unreadableIdIsNobodys() throws Exception {
        try (AuthTestServer fixture = AuthTestServer.ownedBy(TestPermissions.design());
                OrdersClient bob = fixture.connect("bob")) {
            Map<String, Object> nullId = new HashMap<>();
            nullId.put("id", null);
            for (Map<String, Object> arguments : List.of(Map.<String, Object>of(), nullId, id("2"), id(2.5), id(-2))) {
                CallToolResult refused = bob.call("cancel_order", arguments);
                assertThat(refused.isError()).as("bob's cancel_order with " + arguments + ", an id the tool would not "
                        + "read, must be a tool error: " + OrdersClient.text(refused)).isTrue();
                assertStillOpen(fixture, 2, "bob");
            }
            assertRefused(bob.call("cancel_order", id(1.0)), 1, "bob");
            assertStillOpen(fixture, 1, "alice");
            assertAllowed(bob.call("cancel_order", id(2.0)), "bob cancels his #2, its id sent as 2.0");
            assertThat(fixture.orders.placedBy(2)).as("bob's #2 is cancelled").isEmpty();
        }
    }

    @Test
    @DisplayName("04.4+04.6 tools/list shows cancel_order to whoever holds User.Write: bob, not carol")
    void task04_6_toolsList() throws Exception {
        try (AuthTestServer fixture = AuthTestServer.ownedBy(TestPermissions.design())) {
            for (String username : TestPermissions.USERS) {
                try (OrdersClient client = fixture.connect(username)) {
                    assertThat(client.toolNames()).as("tools/list for " + username + " with the ownership rule: bob "
                            + "may cancel the orders he placed, carol (Guest.Read) may cancel none")
                            .isEqualTo(TestPermissions.LISTED_WITH_OWNERSHIP.get(username));
                }
            }
            try (OrdersClient writer = fixture.connect("dave", "Dave", "User.Write");
                    OrdersClient none = fixture.connect("erin", "Erin", "")) {
                assertThat(writer.toolNames()).as("tools/list for a token with User.Write alone")
                        .isEqualTo(List.of("place_order", "cancel_order"));
                assertThat(none.toolNames()).as("tools/list for a token without permissions").isEmpty();
            }
        }
    }

    @Test
    @DisplayName("04.0 place_order records the caller's user name as who placed the order")
    void given_placeOrderRecordsTheCaller() throws Exception {
        // The caller's way into the tools is Main's (Wiring), the guard is open: this grades no task of 04.
        try (AuthTestServer fixture = AuthTestServer.start();
                OrdersClient bob = fixture.connect("bob")) {
            assertThat(OrdersClient.text(bob.call("place_order", LAMP))).isEqualTo("Placed #4 Desk lamp x 3");
            assertThat(fixture.orders.placedBy(4)).as("who placed #4, with Main's transport context").contains("bob");
            assertThat(fixture.orders.placedBy(1)).as("who placed the seeded #1").contains("alice");
        }
    }
}
