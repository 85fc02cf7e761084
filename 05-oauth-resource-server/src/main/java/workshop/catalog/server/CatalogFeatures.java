package workshop.catalog.server;

import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
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
import java.util.stream.Collectors;

/**
 * The MCP face of the catalog: three tools, one resource and one prompt.
 * Tool input is validated here; bad arguments become a tool error, never an HTTP 500.
 */
public final class CatalogFeatures {

    public static final String CATALOG_URI = "catalog://products";
    public static final int MAX_NAME_LENGTH = 100;
    static final BigDecimal MAX_PRICE = new BigDecimal("1000000");

    private final Catalog catalog;

    public CatalogFeatures(Catalog catalog) {
        this.catalog = catalog;
    }

    public List<SyncToolSpecification> tools() {
        return List.of(
                tool("list_products", "Lists every product with its id and price.",
                        schema(Map.of(), List.of()),
                        args -> CallToolResult.builder().addTextContent(listing()).build()),
                tool("create_product", "Adds a product. Needs a name and a price greater than 0.",
                        schema(Map.of("name", Map.of("type", "string", "maxLength", MAX_NAME_LENGTH),
                                "price", Map.of("type", "number", "exclusiveMinimum", 0)), List.of("name", "price")),
                        this::createProduct),
                tool("delete_product", "Deletes the product with the given id.",
                        schema(Map.of("id", Map.of("type", "integer")), List.of("id")),
                        this::deleteProduct));
    }

    public List<SyncResourceSpecification> resources() {
        Resource resource = Resource.builder(CATALOG_URI, "catalog")
                .description("The whole catalog as a plain-text document.")
                .mimeType("text/plain")
                .build();
        return List.of(new SyncResourceSpecification(resource, (exchange, request) -> {
            TextResourceContents text = TextResourceContents.builder(CATALOG_URI, listing())
                    .mimeType("text/plain")
                    .build();
            return ReadResourceResult.builder(List.of(text)).build();
        }));
    }

    public List<SyncPromptSpecification> prompts() {
        Prompt prompt = Prompt.builder("summarize_catalog")
                .description("Asks the model for a short summary of the catalog.")
                .arguments(List.of(PromptArgument.builder("audience")
                        .description("Who the summary is for, e.g. 'new customers'.")
                        .required(false)
                        .build()))
                .build();
        return List.of(new SyncPromptSpecification(prompt, (exchange, request) -> {
            Object audience = request.arguments() == null ? null : request.arguments().get("audience");
            String forWhom = audience instanceof String text && !text.isBlank() ? text.strip() : "a new customer";
            String ask = "Summarize this product catalog in three sentences for " + forWhom + ":\n\n" + listing();
            return GetPromptResult.builder(List.of(new PromptMessage(Role.USER, TextContent.builder(ask).build())))
                    .description("Catalog summary")
                    .build();
        }));
    }

    private CallToolResult createProduct(Map<String, Object> args) {
        if (!(args.get("name") instanceof String name) || name.isBlank()) {
            return error("create_product needs a 'name' that is a non-empty string.");
        }
        if (name.strip().length() > MAX_NAME_LENGTH) {
            return error("create_product: 'name' is longer than " + MAX_NAME_LENGTH + " characters.");
        }
        BigDecimal price = decimal(args.get("price"));
        if (price == null || price.signum() <= 0 || price.compareTo(MAX_PRICE) > 0 || price.scale() > 2) {
            return error("create_product needs a 'price' that is a number above 0, at most " + MAX_PRICE
                    + ", with at most two decimals.");
        }
        Catalog.Product product = catalog.create(name.strip(), price.setScale(2));
        return CallToolResult.builder().addTextContent("Created " + line(product)).build();
    }

    private CallToolResult deleteProduct(Map<String, Object> args) {
        BigDecimal id = decimal(args.get("id"));
        if (id == null || id.stripTrailingZeros().scale() > 0 || id.compareTo(BigDecimal.ONE) < 0
                || id.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
            return error("delete_product needs an 'id' that is a whole number of 1 or more.");
        }
        return catalog.delete(id.intValue())
                .map(product -> CallToolResult.builder().addTextContent("Deleted " + line(product)).build())
                .orElseGet(() -> error("delete_product: there is no product with id " + id.intValue() + "."));
    }

    private String listing() {
        List<Catalog.Product> products = catalog.list();
        if (products.isEmpty()) {
            return "The catalog is empty.";
        }
        return products.stream().map(CatalogFeatures::line).collect(Collectors.joining("\n"));
    }

    private static String line(Catalog.Product product) {
        return "#" + product.id() + " " + product.name() + " ($" + product.price().toPlainString() + ")";
    }

    /** A JSON number as a decimal, or null for anything else (strings, booleans, missing). */
    private static BigDecimal decimal(Object value) {
        if (value instanceof Number number && !(value instanceof Double d && (d.isNaN() || d.isInfinite()))) {
            try {
                return new BigDecimal(number.toString());
            } catch (NumberFormatException notANumber) {
                return null;
            }
        }
        return null;
    }

    private static CallToolResult error(String message) {
        return CallToolResult.builder().isError(true).addTextContent(message).build();
    }

    private static Map<String, Object> schema(Map<String, Object> properties, List<String> required) {
        return Map.of("type", "object", "properties", properties, "required", required, "additionalProperties", false);
    }

    private static SyncToolSpecification tool(String name, String description, Map<String, Object> input,
            java.util.function.Function<Map<String, Object>, CallToolResult> handler) {
        Tool tool = Tool.builder(name, input).description(description).build();
        return SyncToolSpecification.builder()
                .tool(tool)
                .callHandler((exchange, request) -> handler.apply(
                        request.arguments() == null ? Map.of() : request.arguments()))
                .build();
    }
}
