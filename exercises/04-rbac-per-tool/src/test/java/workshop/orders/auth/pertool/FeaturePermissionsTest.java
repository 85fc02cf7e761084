package workshop.orders.auth.pertool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.orders.auth.permissions.Caller;
import workshop.orders.auth.pertool.FeaturePermissions.Feature;
import workshop.orders.auth.pertool.FeaturePermissions.Kind;
import workshop.orders.server.OrdersFeatures;
import workshop.orders.support.TestPermissions;

/** Task 04.1, the orders desk's table, without a server; and the table's rules (04.0), on tables the test builds. */
@DisplayName("The permission table")
class FeaturePermissionsTest {

    private static final Feature LIST = new Feature(Kind.TOOL, "list_orders");
    private static final Feature PLACE = new Feature(Kind.TOOL, "place_order");
    private static final Feature CANCEL = new Feature(Kind.TOOL, "cancel_order");
    private static final Feature WHOAMI = new Feature(Kind.TOOL, "whoami");
    private static final Feature OPEN_ORDERS = new Feature(Kind.RESOURCE, OrdersFeatures.OPEN_ORDERS_URI);
    private static final Feature SUMMARY = new Feature(Kind.PROMPT, "summarize_orders");

    @Test
    @DisplayName("04.1 FeaturePermissions.orders() has exactly the rows of the README's table")
    void task04_1_rows() {
        Map<Feature, List<String>> rows = FeaturePermissions.orders().rows();
        assertThat(rows).as("the features FeaturePermissions.orders() has a row for: list_orders, place_order, "
                + "cancel_order, whoami, the resource " + OrdersFeatures.OPEN_ORDERS_URI + ", the prompt summarize_orders, "
                + "and no other").containsOnlyKeys(LIST, PLACE, CANCEL, WHOAMI, OPEN_ORDERS, SUMMARY);
        for (Feature read : List.of(LIST, WHOAMI, OPEN_ORDERS, SUMMARY)) {
            assertThat(rows.get(read)).as("the row of " + read).containsExactlyInAnyOrder("Guest.Read", "User.Read");
        }
        assertThat(rows.get(PLACE)).as("the row of tool place_order").containsExactlyInAnyOrder("User.Write", "Admin.Write");
        assertThat(rows.get(CANCEL)).as("the row of tool cancel_order (the ownership rule is not "
                + "a row)").containsExactly("Admin.Write");
    }

    @Test
    @DisplayName("04.1 alice may use everything, bob all but cancel_order, carol only what reads")
    void task04_1_everyCell() {
        FeaturePermissions orders = FeaturePermissions.orders();
        Map<String, Set<Feature>> allowed = Map.of(
                "alice", Set.of(LIST, PLACE, CANCEL, WHOAMI, OPEN_ORDERS, SUMMARY),
                "bob", Set.of(LIST, PLACE, WHOAMI, OPEN_ORDERS, SUMMARY),
                "carol", Set.of(LIST, WHOAMI, OPEN_ORDERS, SUMMARY));
        for (String username : TestPermissions.USERS) {
            Caller caller = TestPermissions.caller(username);
            for (Feature feature : List.of(LIST, PLACE, CANCEL, WHOAMI, OPEN_ORDERS, SUMMARY)) {
                assertThat(orders.allows(caller, feature)).as("may " + username + " (" + TestPermissions.has(username) + ") use " + feature + "?")
                        .isEqualTo(allowed.get(username).contains(feature));
            }
        }
    }

    @Test
    @DisplayName("04.1 a feature without a row in FeaturePermissions.orders() is denied to everyone")
    void task04_1_unlistedIsDenied() {
        FeaturePermissions orders = FeaturePermissions.orders();
        Caller alice = TestPermissions.caller("alice");
        for (Feature unlisted : List.of(new Feature(Kind.TOOL, "delete_all_orders"), new Feature(Kind.TOOL, "List_Orders"),
                new Feature(Kind.RESOURCE, "orders://all"), new Feature(Kind.PROMPT, "list_orders"),
                new Feature(Kind.RESOURCE, "summarize_orders"))) {
            assertThat(orders.required(unlisted)).as("the row of " + unlisted + ", which the table must not have")
                    .isEmpty();
            assertThat(orders.allows(alice, unlisted)).as("may alice use " + unlisted + ", which has no row?")
                    .isFalse();
        }
        assertThat(orders.allows(alice, LIST)).as("alice x list_orders").isTrue();
    }

    @Test
    @DisplayName("04.0 a table allows a feature with any one of its row's permissions, nothing without a row")
    void given_anyOfRule() {
        FeaturePermissions table = FeaturePermissions.builder().tool("t", "A", "B").build();
        Feature t = new Feature(Kind.TOOL, "t");
        assertThat(table.allows(new Caller("x", null, Set.of("B")), t)).isTrue();
        assertThat(table.allows(new Caller("x", null, Set.of("A", "C")), t)).isTrue();
        assertThat(table.allows(new Caller("x", null, Set.of("C", "a")), t)).isFalse();
        assertThat(table.allows(new Caller("x", null, Set.of()), t)).isFalse();
        assertThat(table.allows(new Caller("x", null, Set.of("A")), new Feature(Kind.PROMPT, "t"))).isFalse();
    }

    @Test
    @DisplayName("04.0 the builder refuses an empty row and a second row; rows() cannot be changed")
    void given_builderRules() {
        assertThatThrownBy(() -> FeaturePermissions.builder().tool("t")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FeaturePermissions.builder().tool("t", "A").tool("t", "B"))
                .isInstanceOf(IllegalArgumentException.class);
        FeaturePermissions table = FeaturePermissions.builder().tool("t", "A").resource("t", "B").build();
        assertThat(table.rows()).hasSize(2);
        assertThatThrownBy(() -> table.rows().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
