package workshop.orders.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.orders.auth.jwt.AuthServlet;
import workshop.orders.demo.Demo;
import workshop.orders.server.Layers;
import workshop.orders.server.Orders;
import workshop.orders.server.OrdersFeatures;
import workshop.orders.server.OrdersServer;
import workshop.orders.support.AuthTestServer;
import workshop.orders.support.StandInAuth;

/**
 * The real SDK client against a real server: task 02.6 (refresh and retry) against a stand-in auth
 * layer, so it is graded whatever state the server's tasks are in; the orders desk features (02.0) on
 * a server without any auth layer; and, at the end, the client against the step's real server.
 */
@DisplayName("The MCP client and the orders desk, through the real SDK client")
class OrdersClientTest {

    private final StandInAuth standIn = new StandInAuth();
    private OrdersServer server;
    private URI mcp;

    @BeforeEach
    void start() throws Exception {
        server = OrdersServer.start("127.0.0.1", 0, Orders.seeded(), Set.of(), Layers.NONE
                .filter(standIn.filter())
                .endpoint(AuthServlet.PATH, standIn.servlet()));
        mcp = server.endpoint();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    @DisplayName("02.6 when the access token has expired, the client refreshes once and the call succeeds")
    void task02_6_refreshesAndRetries() {
        OrdersClient.Tokens first = standIn.pair();
        try (OrdersClient client = OrdersClient.connect(mcp, first)) {
            assertThat(client.toolNames()).hasSize(3);
            assertThat(client.refreshes()).isZero();

            standIn.expireAccessTokens();
            assertThat(OrdersClient.text(client.call("list_orders", Map.of()))).contains("#1 Printer paper x 10");
            assertThat(client.refreshes()).as("refreshes counted by the client").isEqualTo(1);
            assertThat(standIn.refreshes).as("refreshes the server answered").hasValue(1);
            assertThat(client.tokens().accessToken()).isNotEqualTo(first.accessToken());
            assertThat(client.tokens().refreshToken()).isNotEqualTo(first.refreshToken());
            assertThat(standIn.seen).as("the call was sent again, with the new access token")
                    .contains("POST Bearer " + client.tokens().accessToken());

            // The new token serves the following calls without another refresh.
            assertThat(client.toolNames()).hasSize(3);
            assertThat(client.refreshes()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("02.6 calls refused together after expiry share one refresh: the refresh token is not spent twice")
    void task02_6_concurrentCallsRefreshOnce() throws Exception {
        try (OrdersClient client = OrdersClient.connect(mcp, standIn.pair())) {
            standIn.expireAccessTokens();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<CallToolResult>> calls = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    calls.add(pool.submit(() -> client.call("list_orders", Map.of())));
                }
                for (Future<CallToolResult> call : calls) {
                    assertThat(OrdersClient.text(call.get())).contains("#1 Printer paper x 10");
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(client.refreshes()).isEqualTo(1);
            assertThat(standIn.refreshes).hasValue(1);
            // The refresh token the client holds now was never spent: the next expiry refreshes again.
            standIn.expireAccessTokens();
            assertThat(client.toolNames()).hasSize(3);
            assertThat(client.refreshes()).isEqualTo(2);
        }
    }

    @Test
    @DisplayName("02.6 when the refresh is refused too, the call fails with one line saying so and why")
    void task02_6_failedRefreshIsExplained() {
        OrdersClient.Tokens first = standIn.pair();
        try (OrdersClient client = OrdersClient.connect(mcp, first)) {
            assertThat(client.toolNames()).hasSize(3);
            standIn.revoke(first.refreshToken());
            standIn.expireAccessTokens();
            Throwable refused = catchThrowable(() -> client.call("list_orders", Map.of()));
            assertThat(refused).as("the call fails").isNotNull();
            assertThat(OrdersClient.explain(refused)).doesNotContain("\n")
                    .contains("refresh failed")
                    .contains("/auth/refresh answered HTTP 400 invalid_grant: The refresh token was revoked; log in "
                            + "again");
        }
    }

    @Test
    @DisplayName("02.6 the client refreshes on 401 invalid_token only: not a bare 401, not a 403, not without a token")
    void task02_6_refreshesOnlyOnInvalidToken() {
        assertThat(OrdersClient.explain(catchThrowable(() -> OrdersClient.connect(mcp, null))))
                .isEqualTo("HTTP 401, WWW-Authenticate: Bearer realm=\"mcp\"");
        OrdersClient.Tokens expired = standIn.pair();
        standIn.expireAccessTokens();
        OrdersClient.Tokens accessOnly = new OrdersClient.Tokens(expired.accessToken(), null);
        assertThat(OrdersClient.explain(catchThrowable(() -> OrdersClient.connect(mcp, accessOnly))))
                .isEqualTo("HTTP 401, WWW-Authenticate: Bearer realm=\"mcp\", error=\"invalid_token\", "
                        + "error_description=\"The access token expired\"");
        standIn.forbidden = true;
        OrdersClient.Tokens valid = standIn.pair();
        assertThat(OrdersClient.explain(catchThrowable(() -> OrdersClient.connect(mcp, valid)))).startsWith("HTTP 403");
        assertThat(standIn.refreshes).as("refreshes so far").hasValue(0);

        // And the case that does refresh: an expired access token with its refresh token, at connect.
        standIn.forbidden = false;
        try (OrdersClient client = OrdersClient.connect(mcp, expired)) {
            assertThat(client.toolNames()).hasSize(3);
            assertThat(client.refreshes()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("02.0 login() posts the credentials to /auth/token; a refusal is explained in one line")
    void given_login() {
        OrdersClient.Tokens tokens = OrdersClient.login(mcp, "bob", StandInAuth.PASSWORD);
        assertThat(tokens.accessToken()).startsWith("access-");
        assertThat(tokens.toString()).doesNotContain(tokens.accessToken()).doesNotContain(tokens.refreshToken());
        for (String[] attempt : List.of(new String[] {"bob", "wrong-password-123"},
                new String[] {"mallory", StandInAuth.PASSWORD})) {
            Throwable refused = catchThrowable(() -> OrdersClient.login(mcp, attempt[0], attempt[1]));
            assertThat(OrdersClient.explain(refused))
                    .isEqualTo("/auth/token answered HTTP 400 invalid_grant: The username or password is not valid");
        }
    }

    @Test
    @DisplayName("02.0 the client sends its access token on every request (initialize, each call, closing)")
    void given_tokenOnEveryRequest() {
        OrdersClient.Tokens tokens = standIn.pair();
        try (OrdersClient client = OrdersClient.connect(mcp, tokens)) {
            client.call("list_orders", Map.of());
        }
        assertThat(standIn.seen).as("method and Authorization header of each request")
                .hasSizeGreaterThanOrEqualTo(3)
                .allMatch(seen -> seen.endsWith(" Bearer " + tokens.accessToken()))
                .anyMatch(seen -> seen.startsWith("DELETE "));
    }

    @Test
    @DisplayName("02.0 the client lists the three tools, calls list_orders, reads orders://open and gets the prompt")
    void given_everyFeatureWorks() throws Exception {
        try (OrdersServer open = OrdersServer.start("127.0.0.1", 0, Orders.seeded(), Set.of(), Layers.NONE);
                OrdersClient client = OrdersClient.connect(open.endpoint(), null)) {
            assertThat(client.toolNames()).containsExactly("list_orders", "place_order", "cancel_order");
            assertThat(OrdersClient.text(client.call("list_orders", Map.of()))).contains("#1 Printer paper x 10");
            assertThat(client.readOpenOrders()).contains("#3 Whiteboard marker x 24");
            assertThat(client.prompt("summarize_orders", Map.of("audience", "the finance team")))
                    .contains("for the finance team").contains("Stapler");
        }
    }

    @Test
    @DisplayName("02.0 place_order adds an open order and cancel_order removes it")
    void given_placeAndCancel() {
        try (OrdersClient client = OrdersClient.connect(mcp, standIn.pair())) {
            CallToolResult placed = client.call("place_order", Map.of("product", "  Desk lamp ", "quantity", 3));
            assertThat(placed.isError()).isNotEqualTo(Boolean.TRUE);
            assertThat(OrdersClient.text(placed)).isEqualTo("Placed #4 Desk lamp x 3");
            assertThat(client.readOpenOrders()).contains("#4 Desk lamp x 3");

            CallToolResult cancelled = client.call("cancel_order", Map.of("id", 4));
            assertThat(OrdersClient.text(cancelled)).isEqualTo("Cancelled #4 Desk lamp x 3");
            assertThat(client.readOpenOrders()).doesNotContain("Desk lamp");
            assertThat(OrdersClient.text(client.call("cancel_order", Map.of("id", 4))))
                    .isEqualTo("cancel_order: there is no open order with id 4.");
        }
    }

    @Test
    @DisplayName("02.0 bad tool arguments give a tool error that says what is wrong, and change nothing")
    void given_badArgumentsAreToolErrors() {
        try (OrdersClient client = OrdersClient.connect(mcp, standIn.pair())) {
            String before = client.readOpenOrders();
            List<Map<String, Object>> badOrders = List.of(
                    Map.of("quantity", 1),
                    Map.of("product", "Lamp"),
                    Map.of("product", "", "quantity", 1),
                    Map.of("product", "x".repeat(OrdersFeatures.MAX_PRODUCT_LENGTH + 1), "quantity", 1),
                    Map.of("product", 42, "quantity", 1),
                    Map.of("product", "Lamp", "quantity", "three"),
                    Map.of("product", "Lamp", "quantity", 0),
                    Map.of("product", "Lamp", "quantity", 2.5),
                    Map.of("product", "Lamp", "quantity", OrdersFeatures.MAX_QUANTITY + 1));
            for (Map<String, Object> args : badOrders) {
                CallToolResult result = client.call("place_order", args);
                assertThat(result.isError()).as(args.toString()).isTrue();
                assertThat(OrdersClient.text(result)).as(args.toString()).isNotBlank();
            }
            for (Object id : List.of("1", 1.5, 0, -3, 99)) {
                assertThat(client.call("cancel_order", Map.of("id", id)).isError()).as(String.valueOf(id)).isTrue();
            }
            assertThat(client.readOpenOrders()).isEqualTo(before);
        }
    }

    @Test
    @DisplayName("02.0 a server that is not running gives a one-line 'cannot connect', for login and for MCP")
    void given_unreachableServer() throws Exception {
        OrdersClient.Tokens tokens = standIn.pair();
        server.close();
        assertThatThrownBy(() -> OrdersClient.connect(mcp, tokens))
                .satisfies(e -> assertThat(OrdersClient.explain(e)).isEqualTo("cannot connect: is the server running?"));
        assertThatThrownBy(() -> OrdersClient.login(mcp, "bob", StandInAuth.PASSWORD))
                .satisfies(e -> assertThat(OrdersClient.explain(e)).isEqualTo("cannot connect: is the server running?"));
        server = OrdersServer.start("127.0.0.1", 0, Orders.seeded(), Set.of(), Layers.NONE);
    }

    @Test
    @DisplayName("02.1-02.6 together: against the real server the client logs in, its token expires, it refreshes once")
    void tasks02_1to6_realServer() throws Exception {
        try (AuthTestServer real = AuthTestServer.start();
                OrdersClient client = OrdersClient.connect(real.mcp,
                        OrdersClient.login(real.mcp, "bob", real.users.password("bob")))) {
            assertThat(client.toolNames()).containsExactly("list_orders", "place_order", "cancel_order");
            real.clock.advance(Demo.PAST_EXPIRY);
            assertThat(OrdersClient.text(client.call("list_orders", Map.of()))).contains("#1 Printer paper x 10");
            assertThat(client.refreshes()).isEqualTo(1);
        }
    }
}
