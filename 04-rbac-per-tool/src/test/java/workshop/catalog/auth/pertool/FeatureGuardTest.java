package workshop.catalog.auth.pertool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import workshop.catalog.auth.jwt.JwtAuthFilter;
import workshop.catalog.auth.permissions.Caller;
import workshop.catalog.auth.permissions.PermissionFilter;
import workshop.catalog.auth.permissions.WhoAmI;
import workshop.catalog.client.CatalogClient;
import workshop.catalog.server.Catalog;
import workshop.catalog.server.CatalogServer;
import workshop.catalog.server.FeatureGate;
import workshop.catalog.server.Layers;
import workshop.catalog.support.AuthTestServer;
import workshop.catalog.support.RawHttp;
import workshop.catalog.support.TestTokens;

@DisplayName("The per-feature guard inside the MCP server, through the real SDK client")
class FeatureGuardTest {

    private static final String ALLOWED = "allowed";
    private static final String ALICE_HAS = "(you have Admin.Write, User.Read, User.Write).";
    private static final String BOB_HAS = "(you have User.Read, User.Write).";
    private static final String CAROL_HAS = "(you have Guest.Read).";

    private static AuthTestServer fixture;
    private static Map<String, CatalogClient> clients;

    @BeforeAll
    static void start() throws Exception {
        fixture = AuthTestServer.start();
        clients = Map.of("alice", CatalogClient.connect(fixture.mcp, fixture.login("alice")),
                "bob", CatalogClient.connect(fixture.mcp, fixture.login("bob")),
                "carol", CatalogClient.connect(fixture.mcp, fixture.login("carol")));
    }

    @AfterAll
    static void stop() throws Exception {
        clients.values().forEach(CatalogClient::close);
        fixture.close();
    }

    /** An access token the fixture would accept for bob, but granting only these permissions. */
    private static String token(String... permissions) throws Exception {
        Map<String, Object> claims = TestTokens.claims(fixture.clock.instant());
        claims.put("permissions", List.of(permissions));
        return TestTokens.sign(TestTokens.header(), claims, fixture.secret);
    }

    private static CatalogClient withPermissions(String... permissions) throws Exception {
        return CatalogClient.connect(fixture.mcp, new CatalogClient.Tokens(token(permissions), null));
    }

    /** The id in "Created #7 ...". */
    private static int createdId(CallToolResult created) {
        Matcher id = Pattern.compile("^Created #(\\d+) ").matcher(CatalogClient.text(created));
        assertThat(id.find()).as(CatalogClient.text(created)).isTrue();
        return Integer.parseInt(id.group(1));
    }

    private static McpError mcpError(Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof McpError error) {
                return error;
            }
        }
        throw new AssertionError("expected an MCP error, got " + thrown);
    }

    private static void assertDeniedTool(CallToolResult result, String message) {
        assertThat(result.isError()).as(CatalogClient.text(result)).isTrue();
        assertThat(CatalogClient.text(result)).isEqualTo(message);
    }

    private static void assertDeniedRead(Throwable thrown, String message) {
        McpError error = mcpError(thrown);
        assertThat(error.getJsonRpcError().code()).isEqualTo(FeatureGuard.PERMISSION_DENIED);
        assertThat(error.getJsonRpcError().message()).isEqualTo(message);
        assertThat(CatalogClient.explain(thrown)).isEqualTo("MCP error: " + message);
    }

    static Stream<Arguments> cells() {
        String createNeeds = "Permission denied: tool create_product needs User.Write or Admin.Write ";
        String deleteNeeds = "Permission denied: tool delete_product needs Admin.Write ";
        return Stream.of(
                Arguments.of("alice", "tool list_products", ALLOWED),
                Arguments.of("alice", "tool create_product", ALLOWED),
                Arguments.of("alice", "tool delete_product", ALLOWED),
                Arguments.of("alice", "tool whoami", ALLOWED),
                Arguments.of("alice", "resource catalog://products", ALLOWED),
                Arguments.of("alice", "prompt summarize_catalog", ALLOWED),
                Arguments.of("bob", "tool list_products", ALLOWED),
                Arguments.of("bob", "tool create_product", ALLOWED),
                Arguments.of("bob", "tool delete_product", deleteNeeds + BOB_HAS),
                Arguments.of("bob", "tool whoami", ALLOWED),
                Arguments.of("bob", "resource catalog://products", ALLOWED),
                Arguments.of("bob", "prompt summarize_catalog", ALLOWED),
                Arguments.of("carol", "tool list_products", ALLOWED),
                Arguments.of("carol", "tool create_product", createNeeds + CAROL_HAS),
                Arguments.of("carol", "tool delete_product", deleteNeeds + CAROL_HAS),
                Arguments.of("carol", "tool whoami", ALLOWED),
                Arguments.of("carol", "resource catalog://products", ALLOWED),
                Arguments.of("carol", "prompt summarize_catalog", ALLOWED));
    }

    @ParameterizedTest(name = "{0}, {1}: {2}")
    @MethodSource("cells")
    @DisplayName("every user and feature of the table: an allowed call does the feature's work, a refused one is a tool error naming the tool and the permission")
    void everyCell(String user, String feature, String expected) {
        CatalogClient client = clients.get(user);
        // alice creates the product each delete cell aims at, so a refused delete would have had work to do.
        int target = createdId(clients.get("alice").call("create_product", Map.of("name", "Target", "price", 1)));
        String before = clients.get("alice").readCatalog();
        CallToolResult result = switch (feature) {
            case "tool list_products" -> client.call("list_products", Map.of());
            case "tool create_product" -> client.call("create_product", Map.of("name", "Cell lamp", "price", 5));
            case "tool delete_product" -> client.call("delete_product", Map.of("id", target));
            case "tool whoami" -> client.call("whoami", Map.of());
            case "resource catalog://products" ->
                CallToolResult.builder().addTextContent(client.readCatalog()).build();
            case "prompt summarize_catalog" ->
                CallToolResult.builder().addTextContent(client.prompt("summarize_catalog", Map.of())).build();
            default -> throw new IllegalArgumentException(feature);
        };
        String text = CatalogClient.text(result);
        if (!expected.equals(ALLOWED)) {
            assertDeniedTool(result, expected);
            assertThat(clients.get("alice").readCatalog()).isEqualTo(before);
            return;
        }
        assertThat(result.isError()).as(text).isNotEqualTo(Boolean.TRUE);
        switch (feature) {
            case "tool list_products", "resource catalog://products" -> assertThat(text).contains("#2 Mechanical keyboard");
            case "tool create_product" -> assertThat(text).startsWith("Created #");
            case "tool delete_product" -> assertThat(text).isEqualTo("Deleted #" + target + " Target ($1.00)");
            case "tool whoami" -> assertThat(text).contains("(" + user + ")");
            default -> assertThat(text).startsWith("Summarize this product catalog").contains("Mechanical keyboard");
        }
    }

    @Test
    @DisplayName("tools/list shows each caller only the tools it may call: alice four, bob three, carol list_products and whoami")
    void toolsListPerCaller() {
        assertThat(clients.get("alice").toolNames())
                .containsExactly("list_products", "create_product", "delete_product", "whoami");
        assertThat(clients.get("bob").toolNames()).containsExactly("list_products", "create_product", "whoami");
        assertThat(clients.get("carol").toolNames()).containsExactly("list_products", "whoami");
    }

    @Test
    @DisplayName("resources/list and prompts/list stay complete for every caller: the SDK has no list filter for them")
    void resourceAndPromptListsAreComplete() {
        for (CatalogClient client : clients.values()) {
            assertThat(client.mcp().listResources().resources()).hasSize(1);
            assertThat(client.mcp().listPrompts().prompts()).hasSize(1);
        }
    }

    @Test
    @DisplayName("a refused delete_product does not run: bob and carol leave the catalog intact, carol's refused create adds nothing, and alice's delete works")
    void refusedCallsDoNotRun() throws Exception {
        try (AuthTestServer own = AuthTestServer.start();
                CatalogClient alice = CatalogClient.connect(own.mcp, own.login("alice"));
                CatalogClient bob = CatalogClient.connect(own.mcp, own.login("bob"));
                CatalogClient carol = CatalogClient.connect(own.mcp, own.login("carol"))) {
            String before = alice.readCatalog();
            assertDeniedTool(bob.call("delete_product", Map.of("id", 1)),
                    "Permission denied: tool delete_product needs Admin.Write " + BOB_HAS);
            assertDeniedTool(carol.call("delete_product", Map.of("id", 1)),
                    "Permission denied: tool delete_product needs Admin.Write " + CAROL_HAS);
            assertDeniedTool(carol.call("create_product", Map.of("name", "Sneaky", "price", 1)),
                    "Permission denied: tool create_product needs User.Write or Admin.Write " + CAROL_HAS);
            assertThat(alice.readCatalog()).isEqualTo(before).contains("#1 Laptop ($1299.00)");

            // Ids are never reused: #4 proves that carol's create did not take one.
            assertThat(CatalogClient.text(bob.call("create_product", Map.of("name", "Desk lamp", "price", 24.9))))
                    .isEqualTo("Created #4 Desk lamp ($24.90)");
            assertThat(CatalogClient.text(alice.call("delete_product", Map.of("id", 1))))
                    .isEqualTo("Deleted #1 Laptop ($1299.00)");
            assertThat(alice.readCatalog()).doesNotContain("Laptop");
        }
    }

    @Test
    @DisplayName("a token without Guest.Read or User.Read is refused the resource and the prompt with an MCP error naming them and the permissions, and list_products with a tool error")
    void refusedResourceAndPrompt() throws Exception {
        try (CatalogClient writer = withPermissions("User.Write"); CatalogClient nobody = withPermissions()) {
            assertDeniedRead(catchThrowable(writer::readCatalog), "Permission denied: resource catalog://products "
                    + "needs Guest.Read or User.Read (you have User.Write).");
            assertDeniedRead(catchThrowable(() -> writer.prompt("summarize_catalog", Map.of())), "Permission "
                    + "denied: prompt summarize_catalog needs Guest.Read or User.Read (you have User.Write).");
            assertDeniedTool(writer.call("list_products", Map.of()), "Permission denied: tool list_products needs "
                    + "Guest.Read or User.Read (you have User.Write).");
            assertThat(writer.toolNames()).containsExactly("create_product");
            assertThat(CatalogClient.text(writer.call("create_product", Map.of("name", "Pen", "price", 2))))
                    .startsWith("Created #");

            assertDeniedRead(catchThrowable(nobody::readCatalog), "Permission denied: resource catalog://products "
                    + "needs Guest.Read or User.Read (you have no permissions).");
            assertThat(nobody.toolNames()).isEmpty();
        }
    }

    @Test
    @DisplayName("over HTTP a refused tool call is 200 with isError true, and a refused resource read a JSON-RPC error with code -32003, no stack trace")
    void refusalsOnTheWire() throws Exception {
        String carol = "Bearer " + fixture.login("carol").accessToken();
        String writer = "Bearer " + token("User.Write");
        String carolsSession = fixture.initialize(carol.substring("Bearer ".length())).headers()
                .firstValue("Mcp-Session-Id").orElseThrow();
        String writersSession = fixture.initialize(writer.substring("Bearer ".length())).headers()
                .firstValue("Mcp-Session-Id").orElseThrow();

        HttpResponse<String> call = RawHttp.post(fixture.mcp, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"delete_product\",\"arguments\":{\"id\":1}}}", "Authorization", carol,
                "Mcp-Session-Id", carolsSession);
        assertThat(call.statusCode()).isEqualTo(200);
        assertThat(call.body()).contains("\"isError\":true").contains("\"text\":\"Permission denied: tool "
                + "delete_product needs Admin.Write (you have Guest.Read).\"");

        HttpResponse<String> read = RawHttp.post(fixture.mcp, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":"
                + "\"resources/read\",\"params\":{\"uri\":\"catalog://products\"}}", "Authorization", writer,
                "Mcp-Session-Id", writersSession);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).contains("\"error\":{\"code\":-32003,\"message\":\"Permission denied: resource "
                + "catalog://products needs Guest.Read or User.Read (you have User.Write).\"")
                .doesNotContain("\"result\"");
        for (HttpResponse<String> response : List.of(call, read)) {
            assertThat(response.body()).doesNotContain("Exception", "\tat ", "workshop.", fixture.secret);
        }
    }

    @Test
    @DisplayName("a feature without a row is refused to everyone, alice included, and hidden from her tools/list")
    void unlistedFeatureIsDenied() throws Exception {
        FeaturePermissions partial = FeaturePermissions.builder()
                .tool("list_products", "User.Read")
                .tool("create_product", "User.Write")
                .tool("whoami", "User.Read")
                .build();
        try (CatalogServer server = CatalogServer.start("127.0.0.1", 0, Catalog.seeded(), Set.of(), Layers.NONE
                .filter(new JwtAuthFilter(fixture.tokens))
                .filter(new PermissionFilter(fixture.users.directory))
                .context(Caller::transportContext)
                .tool(WhoAmI.tool())
                .features(new FeatureGuard(partial)));
                CatalogClient alice = CatalogClient.connect(server.endpoint(), fixture.login("alice"))) {
            assertThat(alice.toolNames()).containsExactly("list_products", "create_product", "whoami");
            assertDeniedTool(alice.call("delete_product", Map.of("id", 1)),
                    "Permission denied: tool delete_product is not in the permission table, so nobody may use it.");
            assertDeniedRead(catchThrowable(alice::readCatalog), "Permission denied: resource catalog://products is "
                    + "not in the permission table, so nobody may use it.");
            assertDeniedRead(catchThrowable(() -> alice.prompt("summarize_catalog", Map.of())), "Permission denied: "
                    + "prompt summarize_catalog is not in the permission table, so nobody may use it.");
            assertThat(CatalogClient.text(alice.call("list_products", Map.of()))).contains("#1 Laptop");
        }
    }

    @Test
    @DisplayName("a guard with no authentication in front refuses everything and lists nothing: no caller, no access")
    void noCallerNoAccess() throws Exception {
        try (CatalogServer open = CatalogServer.start("127.0.0.1", 0, Catalog.seeded(), Set.of(), Layers.NONE
                .features(new FeatureGuard(FeaturePermissions.catalog())));
                CatalogClient anonymous = CatalogClient.connect(open.endpoint(), null)) {
            assertThat(anonymous.toolNames()).isEmpty();
            assertDeniedTool(anonymous.call("list_products", Map.of()), "Permission denied: tool list_products needs "
                    + "Guest.Read or User.Read, and this request carries no verified caller.");
            assertDeniedRead(catchThrowable(anonymous::readCatalog), "Permission denied: resource catalog://products "
                    + "needs Guest.Read or User.Read, and this request carries no verified caller.");
        }
    }

    @Test
    @DisplayName("the same server built without the FeatureGuard has no per-tool layer: bob deletes and carol sees every tool, as in step 03")
    void serverWithoutTheLayer() throws Exception {
        try (CatalogServer unguarded = CatalogServer.start("127.0.0.1", 0, Catalog.seeded(), Set.of(), Layers.NONE
                .filter(new JwtAuthFilter(fixture.tokens))
                .filter(new PermissionFilter(fixture.users.directory))
                .context(Caller::transportContext)
                .tool(WhoAmI.tool()));
                CatalogClient bob = CatalogClient.connect(unguarded.endpoint(), fixture.login("bob"));
                CatalogClient carol = CatalogClient.connect(unguarded.endpoint(), fixture.login("carol"))) {
            assertThat(CatalogClient.text(bob.call("delete_product", Map.of("id", 1))))
                    .isEqualTo("Deleted #1 Laptop ($1299.00)");
            assertThat(carol.toolNames()).containsExactly("list_products", "create_product", "delete_product", "whoami");
        }
        assertDeniedTool(clients.get("bob").call("delete_product", Map.of("id", 1)),
                "Permission denied: tool delete_product needs Admin.Write " + BOB_HAS);
    }

    @Test
    @DisplayName("the SDK checks a tool's input schema before any handler: a refused caller's malformed call gets that error, and nothing runs")
    void schemaValidationComesFirst() {
        String before = clients.get("alice").readCatalog();
        CallToolResult malformed = clients.get("carol").call("create_product", Map.of("name", "Lamp", "price", -1));
        assertThat(malformed.isError()).isTrue();
        assertThat(CatalogClient.text(malformed)).startsWith("Tool (create_product) input validation failed");
        assertDeniedTool(clients.get("carol").call("create_product", Map.of("name", "Lamp", "price", 1)),
                "Permission denied: tool create_product needs User.Write or Admin.Write " + CAROL_HAS);
        assertThat(clients.get("alice").readCatalog()).isEqualTo(before);
    }

    @Test
    @DisplayName("the tools/list filter reads the caller of each message: carol's context shows list_products, an empty context nothing, the open gate everything")
    void listFilterReadsTheTransportContext() {
        FeatureGuard guard = new FeatureGuard(FeaturePermissions.catalog());
        Tool list = Tool.builder("list_products", Map.of("type", "object")).build();
        Tool delete = Tool.builder("delete_product", Map.of("type", "object")).build();
        McpTransportContext carol = McpTransportContext.create(Map.of(Caller.KEY,
                new Caller("carol", "Carol", Set.of("Guest.Read"))));

        assertThat(guard.isVisible(carol, list)).isTrue();
        assertThat(guard.isVisible(carol, delete)).isFalse();
        assertThat(guard.isVisible(McpTransportContext.EMPTY, list)).isFalse();
        assertThat(FeatureGate.OPEN.isVisible(McpTransportContext.EMPTY, delete)).isTrue();
    }

    @Test
    @DisplayName("alice, bob and carol call tools at once from 12 threads: every answer (whoami, delete_product, tools/list) matches its own caller")
    void noIdentityLeaksUnderConcurrency() throws Exception {
        Map<String, List<String>> expected = Map.of(
                "alice", List.of("You are Alice (alice), with the permissions Admin.Write, User.Read, User.Write.",
                        "delete_product: there is no product with id 999999.",
                        "list_products, create_product, delete_product, whoami"),
                "bob", List.of("You are Bob (bob), with the permissions User.Read, User.Write.",
                        "Permission denied: tool delete_product needs Admin.Write " + BOB_HAS,
                        "list_products, create_product, whoami"),
                "carol", List.of("You are Carol (carol), with the permissions Guest.Read.",
                        "Permission denied: tool delete_product needs Admin.Write " + CAROL_HAS,
                        "list_products, whoami"));
        int threadsPerUser = 4;
        int rounds = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threadsPerUser * expected.size());
        CountDownLatch gate = new CountDownLatch(1);
        try {
            List<Future<Integer>> workers = new ArrayList<>();
            for (Map.Entry<String, List<String>> user : expected.entrySet()) {
                CatalogClient client = clients.get(user.getKey());
                for (int t = 0; t < threadsPerUser; t++) {
                    workers.add(pool.submit(() -> {
                        gate.await();
                        for (int i = 0; i < rounds; i++) {
                            List<String> answers = List.of(CatalogClient.text(client.call("whoami", Map.of())),
                                    CatalogClient.text(client.call("delete_product", Map.of("id", 999_999))),
                                    String.join(", ", client.toolNames()));
                            assertThat(answers).as(user.getKey()).isEqualTo(user.getValue());
                        }
                        return rounds;
                    }));
                }
            }
            gate.countDown();
            int done = 0;
            for (Future<Integer> worker : workers) {
                done += worker.get(60, TimeUnit.SECONDS);
            }
            assertThat(done).isEqualTo(expected.size() * threadsPerUser * rounds);
        } finally {
            pool.shutdownNow();
        }
    }
}
