package workshop.orders.server;

import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import io.modelcontextprotocol.spec.McpSchema.Prompt;
import io.modelcontextprotocol.spec.McpSchema.PromptArgument;
import io.modelcontextprotocol.spec.McpSchema.PromptMessage;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.Role;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * The MCP face of the orders desk: three tools, one resource and one prompt.
 * Tool input is validated here; bad arguments become a tool error, never an HTTP 500.
 */
public final class OrdersFeatures {

    public static final String OPEN_ORDERS_URI = "orders://open";
    /**
     * The transport context entry that names, as a String, the user a message acts for: {@code place_order}
     * records it as who placed the order. The desk does not check it: a layer that verified the caller puts it
     * there. Without it an order has no known owner.
     */
    public static final String ACTING_USER = OrdersFeatures.class.getName() + ".actingUser";
    public static final int MAX_PRODUCT_LENGTH = 100;
    public static final int MAX_QUANTITY = 1000;

    private final Orders orders;

    public OrdersFeatures(Orders orders) {
        this.orders = orders;
    }

    public List<SyncToolSpecification> tools() {
        return List.of(
                tool("list_orders", "Lists every open order with its id, product and quantity.",
                        schema(Map.of(), List.of()),
                        (context, args) -> CallToolResult.builder().addTextContent(listing()).build()),
                tool("place_order", "Places an order. Needs a product and a quantity from 1 to " + MAX_QUANTITY + ".",
                        schema(Map.of("product", Map.of("type", "string", "maxLength", MAX_PRODUCT_LENGTH),
                                "quantity", Map.of("type", "integer", "minimum", 1, "maximum", MAX_QUANTITY)),
                                List.of("product", "quantity")),
                        this::placeOrder),
                tool("cancel_order", "Cancels the open order with the given id.",
                        schema(Map.of("id", Map.of("type", "integer", "minimum", 1)), List.of("id")),
                        (context, args) -> cancelOrder(args)));
    }

    public List<SyncResourceSpecification> resources() {
        Resource resource = Resource.builder(OPEN_ORDERS_URI, "open-orders")
                .description("The open orders as a plain-text document.")
                .mimeType("text/plain")
                .build();
        return List.of(new SyncResourceSpecification(resource, (exchange, request) -> {
            TextResourceContents text = TextResourceContents.builder(OPEN_ORDERS_URI, listing())
                    .mimeType("text/plain")
                    .build();
            return ReadResourceResult.builder(List.of(text)).build();
        }));
    }

    public List<SyncPromptSpecification> prompts() {
        Prompt prompt = Prompt.builder("summarize_orders")
                .description("Asks the model for a short summary of the open orders.")
                .arguments(List.of(PromptArgument.builder("audience")
                        .description("Who the summary is for, e.g. 'the warehouse team'.")
                        .required(false)
                        .build()))
                .build();
        return List.of(new SyncPromptSpecification(prompt, (exchange, request) -> {
            Object audience = request.arguments() == null ? null : request.arguments().get("audience");
            String forWhom = audience instanceof String text && !text.isBlank() ? text.strip() : "the warehouse team";
            String ask = "Summarize these open orders in three sentences for " + forWhom + ":\n\n" + listing();
            return GetPromptResult.builder(List.of(new PromptMessage(Role.USER, TextContent.builder(ask).build())))
                    .description("Open orders summary")
                    .build();
        }));
    }

    private CallToolResult placeOrder(McpTransportContext context, Map<String, Object> args) {
        if (!(args.get("product") instanceof String product) || product.isBlank()) {
            return error("place_order needs a 'product' that is a non-empty string.");
        }
        if (product.strip().length() > MAX_PRODUCT_LENGTH) {
            return error("place_order: 'product' is longer than " + MAX_PRODUCT_LENGTH + " characters.");
        }
        Integer quantity = wholeNumber(args.get("quantity"), MAX_QUANTITY);
        if (quantity == null) {
            return error("place_order needs a 'quantity' that is a whole number from 1 to " + MAX_QUANTITY + ".");
        }
        String placedBy = context != null && context.get(ACTING_USER) instanceof String user ? user : null;
        Orders.Order order = orders.place(product.strip(), quantity, placedBy);
        return CallToolResult.builder().addTextContent("Placed " + line(order)).build();
    }

    /** The order a {@code cancel_order} call names, read as the tool reads it; empty when it names none. */
    public static Optional<Integer> orderId(Map<String, Object> args) {
        return Optional.ofNullable(wholeNumber(args == null ? null : args.get("id"), Integer.MAX_VALUE));
    }

    private CallToolResult cancelOrder(Map<String, Object> args) {
        Optional<Integer> named = orderId(args);
        if (named.isEmpty()) {
            return error("cancel_order needs an 'id' that is a whole number of 1 or more.");
        }
        int id = named.get();
        return orders.cancel(id)
                .map(order -> CallToolResult.builder().addTextContent("Cancelled " + line(order)).build())
                .orElseGet(() -> error("cancel_order: there is no open order with id " + id + "."));
    }

    private String listing() {
        List<Orders.Order> open = orders.list();
        if (open.isEmpty()) {
            return "There are no open orders.";
        }
        return open.stream().map(OrdersFeatures::line).collect(Collectors.joining("\n"));
    }

    private static String line(Orders.Order order) {
        return "#" + order.id() + " " + order.product() + " x " + order.quantity();
    }

    /**
     * A JSON number that is a whole number from 1 to {@code max} (3 and 3.0 alike), or null for
     * anything else: fractions, strings, booleans, NaN, a missing value.
     */
    private static Integer wholeNumber(Object value, int max) {
        if (!(value instanceof Number number) || value instanceof Double d && (d.isNaN() || d.isInfinite())) {
            return null;
        }
        try {
            BigDecimal decimal = new BigDecimal(number.toString());
            boolean whole = decimal.stripTrailingZeros().scale() <= 0;
            return whole && decimal.compareTo(BigDecimal.ONE) >= 0 && decimal.compareTo(BigDecimal.valueOf(max)) <= 0
                    ? decimal.intValueExact() : null;
        } catch (NumberFormatException | ArithmeticException notAWholeNumber) {
            return null;
        }
    }

    private static CallToolResult error(String message) {
        return CallToolResult.builder().isError(true).addTextContent(message).build();
    }

    private static Map<String, Object> schema(Map<String, Object> properties, List<String> required) {
        return Map.of("type", "object", "properties", properties, "required", required, "additionalProperties", false);
    }

    private static SyncToolSpecification tool(String name, String description, Map<String, Object> input,
            BiFunction<McpTransportContext, Map<String, Object>, CallToolResult> handler) {
        Tool tool = Tool.builder(name, input).description(description).build();
        return SyncToolSpecification.builder()
                .tool(tool)
                .callHandler((exchange, request) -> handler.apply(exchange.transportContext(),
                        request.arguments() == null ? Map.of() : request.arguments()))
                .build();
    }
}
