package workshop.orders.auth.pertool;

import io.modelcontextprotocol.common.McpTransportContext;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import workshop.orders.auth.permissions.Caller;
import workshop.orders.auth.pertool.FeaturePermissions.Feature;
import workshop.orders.auth.pertool.FeaturePermissions.Kind;
import workshop.orders.server.Orders;
import workshop.orders.server.OrdersFeatures;

/**
 * Step 04, the orders desk's rule of its own, which the permission table cannot express: the table sees who calls
 * which tool, never which order a call names. {@code cancel_order} is allowed to an admin by the table's row
 * ({@code orders.cancel}, any order), and by this rule to the user who placed that order, when they hold
 * {@value #OWNER_PERMISSION}. {@link FeatureGuard} asks it only about {@code cancel_order}, and only when the table
 * has said no. The desk records who placed each order; this rule is the only place that decides what that allows.
 */
public final class OrderOwnership {

    /** The tool this rule decides about besides the table. */
    public static final Feature CANCEL = new Feature(Kind.TOOL, "cancel_order");
    /** What the user who placed an order needs besides, to cancel it: owning it is not enough on its own. */
    public static final String OWNER_PERMISSION = "orders.write";

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
     * True when the caller placed the open order these {@code cancel_order} arguments name, and holds
     * {@value #OWNER_PERMISSION}. The order is told by the token's subject, the user name, which is unique and
     * is what the desk records: never by the display name, which anyone's token may share.
     */
    public boolean allows(Caller caller, Map<String, Object> arguments) {
        return caller.has(OWNER_PERMISSION) && OrdersFeatures.orderId(arguments)
                .flatMap(orders::placedBy)
                .filter(caller.subject()::equals)
                .isPresent();
    }

    /** {@code tools/list}: {@code cancel_order} is shown to whoever may cancel the orders they place. */
    public boolean mayCall(Caller caller) {
        return caller.has(OWNER_PERMISSION);
    }

    /**
     * The refusal's "needs ..." for a call this rule covers: the table's row, or the owner's permission and the
     * order. The words are the same whether the order is someone else's, cancelled, or was never placed: a
     * refusal tells nobody which orders exist or whose they are.
     */
    public String needs(List<String> row, Map<String, Object> arguments) {
        String order = OrdersFeatures.orderId(arguments).map(id -> "the open order " + id).orElse("the order");
        return "needs " + (row.isEmpty() ? "" : String.join(" or ", row) + ", or ") + OWNER_PERMISSION
                + " and to be the user who placed " + order;
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
