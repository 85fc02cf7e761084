package workshop.orders.auth.permissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.orders.client.OrdersClient;
import workshop.orders.server.Layers;
import workshop.orders.server.Orders;
import workshop.orders.server.OrdersServer;
import workshop.orders.support.AuthTestServer;
import workshop.orders.support.TestTokens;

/**
 * Task 03.2: the verified Caller travels from JwtAuthFilter, as a request attribute, through the
 * transport's contextExtractor into the MCP tools, where whoami shows it. On a server with the JWT filter
 * alone and tokens the test signs, so it is graded whatever state 03.1, 03.3, 03.4 and 03.5 are in.
 */
@DisplayName("The verified caller, from the request into the MCP tools")
class CallerTest {

    private static final String ALICE = "You are Alice (alice), with the permissions Admin.Write, User.Read, "
            + "User.Write.";
    private static final String BOB = "You are Bob (bob), with the permissions User.Read, User.Write.";

    private static AuthTestServer fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = AuthTestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    private static OrdersClient connect(String username) throws Exception {
        return OrdersClient.connect(fixture.mcp, new OrdersClient.Tokens(fixture.token(username), null));
    }

    private static String whoami(OrdersClient client) {
        CallToolResult result = client.call("whoami", Map.of());
        return (Boolean.TRUE.equals(result.isError()) ? "tool error: " : "") + OrdersClient.text(result);
    }

    /** A request that only answers getAttribute, for the extractor alone. */
    private static HttpServletRequest requestWith(Map<String, Object> attributes) {
        return (HttpServletRequest) Proxy.newProxyInstance(CallerTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "toString" -> "a test request";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    @DisplayName("03.2 whoami names the caller of the token, with the token's permissions: alice is alice, bob is bob")
    void task03_2_whoamiShowsTheCaller() throws Exception {
        try (OrdersClient alice = connect("alice"); OrdersClient bob = connect("bob")) {
            assertThat(whoami(alice)).isEqualTo(ALICE);
            assertThat(whoami(bob)).isEqualTo(BOB);
            assertThat(whoami(alice)).isEqualTo(ALICE);
        }
    }

    @Test
    @DisplayName("03.2 100 whoami calls of alice and bob on 8 threads at once: each answer names the one who asked")
    void task03_2_noLeakageBetweenConcurrentCallers() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch gate = new CountDownLatch(1);
        try (OrdersClient alice = connect("alice"); OrdersClient bob = connect("bob")) {
            Map<String, List<Future<String>>> answers = Map.of(ALICE, new ArrayList<>(), BOB, new ArrayList<>());
            for (int i = 0; i < 50; i++) {
                for (OrdersClient client : List.of(alice, bob)) {
                    answers.get(client == alice ? ALICE : BOB).add(pool.submit(() -> {
                        gate.await();
                        return whoami(client);
                    }));
                }
            }
            gate.countDown();
            for (Map.Entry<String, List<Future<String>>> expected : answers.entrySet()) {
                for (Future<String> answer : expected.getValue()) {
                    assertThat(answer.get()).isEqualTo(expected.getKey());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("03.2 the permissions are the token's, not re-read from the directory")
    void task03_2_permissionsComeFromTheToken() throws Exception {
        Map<String, Object> claims = TestTokens.claims(fixture.clock.instant());
        claims.put("scope", "User.Read");
        String token = TestTokens.sign(TestTokens.header(), claims, fixture.keys);
        try (OrdersClient bob = OrdersClient.connect(fixture.mcp, new OrdersClient.Tokens(token, null))) {
            assertThat(whoami(bob)).isEqualTo("You are Bob (bob), with the permissions User.Read.");
        }
        try (OrdersClient bob = connect("bob")) {
            assertThat(whoami(bob)).isEqualTo(BOB);
        }
    }

    @Test
    @DisplayName("03.2 Caller.transportContext() puts the request's Caller into the MCP context, or none without one")
    void task03_2_transportContext() {
        Caller alice = new Caller("alice", "Alice", Set.of("User.Read"));
        McpTransportContext context = Caller.transportContext(requestWith(Map.of(Caller.KEY, alice)));
        assertThat(context.get(Caller.KEY)).isEqualTo(alice);
        assertThat(Caller.of(context)).contains(alice);
        assertThat(Caller.of(Caller.transportContext(requestWith(Map.of())))).isEmpty();
        assertThat(Caller.of(Caller.transportContext(requestWith(Map.of(Caller.KEY, "alice"))))).isEmpty();
    }

    @Test
    @DisplayName("03.0 on a server built without any auth layer, whoami is a tool error that says no caller arrived")
    void given_serverWithoutAuth() throws Exception {
        try (OrdersServer open = OrdersServer.start("127.0.0.1", 0, Orders.seeded(), Set.of(), Layers.NONE
                .tool(WhoAmI.tool()));
                OrdersClient anonymous = OrdersClient.connect(open.endpoint(), null)) {
            CallToolResult result = anonymous.call("whoami", Map.of());
            assertThat(result.isError()).isTrue();
            assertThat(OrdersClient.text(result)).isEqualTo("whoami: this request carries no verified caller.");
            assertThat(OrdersClient.text(anonymous.call("list_orders", Map.of()))).contains("#1 ");
        }
    }

    @Test
    @DisplayName("03.0 a Caller is immutable: its permissions are a sorted copy; the subject stands in for no name")
    void given_callerIsImmutable() {
        Set<String> granted = new TreeSet<>(Set.of("User.Write", "User.Read"));
        Caller caller = new Caller("bob", null, granted);
        granted.add("Admin.Write");

        assertThat(caller.name()).isEqualTo("bob");
        assertThat(caller.permissions()).containsExactly("User.Read", "User.Write");
        assertThat(caller.has("User.Read")).isTrue();
        assertThat(caller.has("Admin.Write")).isFalse();
        assertThat(caller.has("user.read")).isFalse();
        assertThatThrownBy(() -> caller.permissions().add("Admin.Write"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(caller).isEqualTo(new Caller("bob", "bob", Set.of("User.Write", "User.Read")));
        assertThatThrownBy(() -> new Caller(null, "Nobody", Set.of())).isInstanceOf(NullPointerException.class);
    }

    @Test
    @DisplayName("03.0 Caller.of() finds the caller in a transport context, and nothing in an empty or foreign one")
    void given_callerFromTheTransportContext() {
        Caller alice = new Caller("alice", "Alice", Set.of("User.Read"));
        assertThat(Caller.of(McpTransportContext.create(Map.of(Caller.KEY, alice)))).contains(alice);
        assertThat(Caller.of(McpTransportContext.EMPTY)).isEmpty();
        assertThat(Caller.of(McpTransportContext.create(Map.of(Caller.KEY, "alice")))).isEmpty();
        assertThat(Caller.of(null)).isEmpty();
    }
}
