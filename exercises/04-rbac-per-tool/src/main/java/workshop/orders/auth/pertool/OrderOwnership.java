package workshop.orders.auth.pertool;

import io.modelcontextprotocol.common.McpTransportContext;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.Objects;
import workshop.orders.auth.permissions.Caller;
import workshop.orders.auth.pertool.FeaturePermissions.Feature;
import workshop.orders.auth.pertool.FeaturePermissions.Kind;
import workshop.orders.server.Orders;
import workshop.orders.server.OrdersFeatures;

/**
 * Step 04, the orders desk's rule of its own, which the permission table cannot express: the table sees who calls
 * which tool, never which order a call names. The desk records who placed each order ({@link Orders#placedBy});
 * the server hands this rule the same {@link Orders} it serves, and {@link FeatureGuard} is built with it
 * ({@code new FeatureGuard(table, new OrderOwnership(orders))}, in {@code Wiring.layers}), so the rule can reach
 * them. {@link #NONE} is the guard without the rule.
 * <p>
 * TODO(04.6): the rule. Where its code lives (this class, the guard, both) is yours to decide; the graded tests
 * only call the tools through the SDK client, on a server built as above. What the server must answer:
 * <ul>
 * <li>{@code cancel_order} by the user who placed that open order, with {@code User.Write}: the tool runs
 * ({@code Cancelled #2 Stapler x 2}). An admin ({@code Admin.Write}, the table's row) may cancel any order.</li>
 * <li>anyone else, including the owner without {@code User.Write} and an id the tool would not read: the tool
 * error {@code Permission denied: tool cancel_order needs Admin.Write, or User.Write and to be the user who
 * placed the open order 1 (you have User.Read, User.Write).}, the same words (but for the id) whether order 1
 * is someone else's, cancelled, or never existed; the order stays open.</li>
 * <li>{@code tools/list} shows {@code cancel_order} to whoever holds {@code User.Write}: bob too, not carol.</li>
 * </ul>
 * The user is the token's subject ({@code sub}), which is unique: never its display name ({@code name}), which any
 * token may carry.
 */
public final class OrderOwnership {

    /** The tool this rule decides about besides the table. */
    public static final Feature CANCEL = new Feature(Kind.TOOL, "cancel_order");

    /** No rule beyond the table: it covers no tool. */
    public static final OrderOwnership NONE = new OrderOwnership();

    private final Orders orders; // null only in NONE

    /** The rule over this desk's orders: the same {@link Orders} the server serves. */
    public OrderOwnership(Orders orders) {
        this.orders = Objects.requireNonNull(orders, "orders");
    }

    private OrderOwnership() {
        this.orders = null;
    }

    /** True for the tool this rule decides about: {@code cancel_order}, unless this is {@link #NONE}. */
    public boolean covers(Feature feature) {
        return orders != null && CANCEL.equals(feature);
    }

    /**
     * For the transport: the caller, as step 03 hands it on, and their user name as the desk's
     * {@link OrdersFeatures#ACTING_USER}, which {@code place_order} records as who placed the order.
     */
    public static McpTransportContext transportContext(HttpServletRequest request) {
        McpTransportContext context = Caller.transportContext(request);
        return Caller.of(context)
                .map(caller -> McpTransportContext.create(Map.of(Caller.KEY, caller,
                        OrdersFeatures.ACTING_USER, caller.subject())))
                .orElse(context);
    }
}
