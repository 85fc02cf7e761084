package workshop.orders.support;

import java.util.List;
import java.util.Map;
import java.util.Set;
import workshop.orders.auth.permissions.Caller;
import workshop.orders.auth.pertool.FeaturePermissions;
import workshop.orders.server.OrdersFeatures;

/**
 * The orders desk's table as the design gives it, built by the test with FeaturePermissions.builder(): the guard
 * (04.2 to 04.4) is graded on it whatever state FeaturePermissions.orders() (04.1) is in. Also what each demo
 * user may use, cell by cell, by the table alone and with the ownership rule (04.6).
 */
public final class TestPermissions {

    public static final List<String> USERS = List.of("alice", "bob", "carol");
    public static final List<String> TOOLS = List.of("list_orders", "place_order", "cancel_order", "whoami");

    /** Per user, the tools the design lets them call, in the server's order. */
    public static final Map<String, List<String>> ALLOWED_TOOLS = Map.of(
            "alice", List.of("list_orders", "place_order", "cancel_order", "whoami"),
            "bob", List.of("list_orders", "place_order", "whoami"),
            "carol", List.of("list_orders", "whoami"));

    /** Per user, the tools listed with the ownership rule too: bob also sees cancel_order, for his own orders. */
    public static final Map<String, List<String>> LISTED_WITH_OWNERSHIP = Map.of(
            "alice", List.of("list_orders", "place_order", "cancel_order", "whoami"),
            "bob", List.of("list_orders", "place_order", "cancel_order", "whoami"),
            "carol", List.of("list_orders", "whoami"));

    /** Per tool, the refusal's "needs ..." part, as the guard words it. */
    public static final Map<String, String> NEEDS = Map.of(
            "list_orders", "Guest.Read or User.Read",
            "place_order", "User.Write or Admin.Write",
            "cancel_order", "Admin.Write",
            "whoami", "Guest.Read or User.Read");

    private TestPermissions() {
    }

    public static FeaturePermissions design() {
        return FeaturePermissions.builder()
                .tool("list_orders", "Guest.Read", "User.Read")
                .tool("place_order", "User.Write", "Admin.Write")
                .tool("cancel_order", "Admin.Write")
                .tool("whoami", "Guest.Read", "User.Read")
                .resource(OrdersFeatures.OPEN_ORDERS_URI, "Guest.Read", "User.Read")
                .prompt("summarize_orders", "Guest.Read", "User.Read")
                .build();
    }

    /** The Caller a token of this demo user carries. */
    public static Caller caller(String username) {
        return new Caller(username, Character.toUpperCase(username.charAt(0)) + username.substring(1),
                Set.copyOf(TestUsers.PERMISSIONS.get(username)));
    }

    /** "(you have ...)" of a refusal for this demo user. */
    public static String has(String username) {
        return String.join(", ", caller(username).permissions());
    }

    /**
     * The exact text of a refused cancel_order under the ownership rule: the same for someone else's order and for
     * one that does not exist.
     */
    public static String cancelRefusal(int id, String username) {
        return "Permission denied: tool cancel_order needs Admin.Write, or User.Write and to be the user who placed "
                + "the open order " + id + " (you have " + has(username) + ").";
    }

    /** The exact text of a refused tool call. */
    public static String toolRefusal(String tool, String username) {
        return "Permission denied: tool " + tool + " needs " + NEEDS.get(tool) + " (you have " + has(username) + ").";
    }
}
