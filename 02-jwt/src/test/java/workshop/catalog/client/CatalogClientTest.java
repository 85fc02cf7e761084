package workshop.catalog.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.catalog.demo.Demo;
import workshop.catalog.server.CatalogFeatures;
import workshop.catalog.support.AuthTestServer;

@DisplayName("The MCP client and the catalog features, through the real SDK client")
class CatalogClientTest {

    private AuthTestServer fixture;
    private URI mcp;

    @BeforeEach
    void start() throws Exception {
        fixture = AuthTestServer.start();
        mcp = fixture.mcp;
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    private CatalogClient.Tokens bob() {
        return CatalogClient.login(mcp, "bob", fixture.users.password("bob"));
    }

    @Test
    @DisplayName("after login the client lists the three tools, calls them, reads the resource and gets the prompt")
    void everyFeatureWorksAfterLogin() {
        try (CatalogClient client = CatalogClient.connect(mcp, bob())) {
            assertThat(client.toolNames()).containsExactly("list_products", "create_product", "delete_product");
            assertThat(CatalogClient.text(client.call("list_products", Map.of()))).contains("#1 Laptop ($1299.00)");
            assertThat(client.readCatalog()).contains("#3 USB-C cable ($9.99)");
            assertThat(client.prompt("summarize_catalog", Map.of("audience", "students")))
                    .contains("for students").contains("Laptop");
        }
    }

    @Test
    @DisplayName("without a token the client is refused, and explain() gives one line with HTTP 401")
    void noTokenIsRefused() {
        Throwable refused = catchThrowable(() -> CatalogClient.connect(mcp, null));
        assertThat(CatalogClient.explain(refused)).isEqualTo("HTTP 401, WWW-Authenticate: Bearer realm=\"mcp\"");
        try (CatalogClient client = CatalogClient.connect(mcp, bob())) {
            assertThat(client.toolNames()).hasSize(3);
        }
    }

    @Test
    @DisplayName("with a forged access token and no refresh token the client is refused with 401 invalid_token")
    void forgedTokenIsRefused() {
        CatalogClient.Tokens forged = new CatalogClient.Tokens(bob().accessToken() + "x", null);
        Throwable refused = catchThrowable(() -> CatalogClient.connect(mcp, forged));
        assertThat(CatalogClient.explain(refused)).startsWith("HTTP 401").contains("error=\"invalid_token\"")
                .doesNotContain("\n");
        try (CatalogClient client = CatalogClient.connect(mcp, bob())) {
            assertThat(client.toolNames()).hasSize(3);
        }
    }

    @Test
    @DisplayName("a wrong password or an unknown user fails login with a one-line 400 invalid_grant explanation")
    void wrongPassword() {
        for (String[] attempt : List.of(new String[] {"bob", "wrong-password-123"},
                new String[] {"mallory", fixture.users.password("bob")})) {
            Throwable refused = catchThrowable(() -> CatalogClient.login(mcp, attempt[0], attempt[1]));
            assertThat(CatalogClient.explain(refused))
                    .isEqualTo("/auth/token answered HTTP 400 invalid_grant: The username or password is not valid");
        }
        assertThat(bob().accessToken()).isNotBlank();
    }

    @Test
    @DisplayName("when the access token expires the client refreshes once, the call is replayed and succeeds")
    void refreshesAnExpiredToken() {
        CatalogClient.Tokens first = bob();
        try (CatalogClient client = CatalogClient.connect(mcp, first)) {
            assertThat(client.toolNames()).hasSize(3);
            assertThat(client.refreshes()).isZero();

            fixture.clock.advance(Demo.PAST_EXPIRY);
            assertThat(CatalogClient.text(client.call("list_products", Map.of()))).contains("#1 Laptop");
            assertThat(client.refreshes()).isEqualTo(1);
            assertThat(client.tokens().accessToken()).isNotEqualTo(first.accessToken());
            assertThat(client.tokens().refreshToken()).isNotEqualTo(first.refreshToken());

            // The new token serves the following calls without another refresh.
            assertThat(client.toolNames()).hasSize(3);
            assertThat(client.refreshes()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("calls refused together after expiry share one refresh: the refresh token is not spent twice")
    void concurrentCallsRefreshOnce() throws Exception {
        try (CatalogClient client = CatalogClient.connect(mcp, bob())) {
            fixture.clock.advance(Demo.PAST_EXPIRY);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<CallToolResult>> calls = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    calls.add(pool.submit(() -> client.call("list_products", Map.of())));
                }
                for (Future<CallToolResult> call : calls) {
                    assertThat(CatalogClient.text(call.get())).contains("#1 Laptop");
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(client.refreshes()).isEqualTo(1);
            // A second refresh of a spent token would have revoked the family; the current one still works.
            fixture.clock.advance(Demo.PAST_EXPIRY);
            assertThat(client.toolNames()).hasSize(3);
            assertThat(client.refreshes()).isEqualTo(2);
        }
    }

    @Test
    @DisplayName("when the refresh fails too, the call fails with one line that says the refresh was refused")
    void failedRefreshIsExplained() throws Exception {
        CatalogClient.Tokens first = bob();
        try (CatalogClient client = CatalogClient.connect(mcp, first)) {
            assertThat(fixture.post("revoke", "{\"token\":\"" + first.refreshToken() + "\"}").statusCode())
                    .isEqualTo(200);
            fixture.clock.advance(Demo.PAST_EXPIRY);
            Throwable refused = catchThrowable(() -> client.call("list_products", Map.of()));
            assertThat(CatalogClient.explain(refused))
                    .isEqualTo("the server refused the access token (Bearer realm=\"mcp\", error=\"invalid_token\", "
                            + "error_description=\"The access token expired\") and the refresh failed: /auth/refresh "
                            + "answered HTTP 400 invalid_grant: The refresh token was revoked; log in again");
        }
        try (CatalogClient client = CatalogClient.connect(mcp, bob())) {
            assertThat(client.toolNames()).hasSize(3);
        }
    }

    @Test
    @DisplayName("a server that is not running gives a one-line 'cannot connect' explanation")
    void unreachableServer() throws Exception {
        CatalogClient.Tokens tokens = bob();
        fixture.close();
        assertThatThrownBy(() -> CatalogClient.connect(mcp, tokens))
                .satisfies(e -> assertThat(CatalogClient.explain(e)).isEqualTo("cannot connect: is the server running?"));
        assertThatThrownBy(() -> CatalogClient.login(mcp, "bob", "any-password"))
                .satisfies(e -> assertThat(CatalogClient.explain(e)).isEqualTo("cannot connect: is the server running?"));
        fixture = AuthTestServer.start();
    }

    @Test
    @DisplayName("create_product adds a product and delete_product removes it")
    void createAndDelete() {
        try (CatalogClient client = CatalogClient.connect(mcp, bob())) {
            CallToolResult created = client.call("create_product", Map.of("name", "  Desk lamp ", "price", 24.9));
            assertThat(created.isError()).isNotEqualTo(Boolean.TRUE);
            assertThat(CatalogClient.text(created)).isEqualTo("Created #4 Desk lamp ($24.90)");
            assertThat(client.readCatalog()).contains("#4 Desk lamp ($24.90)");

            CallToolResult deleted = client.call("delete_product", Map.of("id", 4));
            assertThat(CatalogClient.text(deleted)).isEqualTo("Deleted #4 Desk lamp ($24.90)");
            assertThat(client.readCatalog()).doesNotContain("Desk lamp");
        }
    }

    @Test
    @DisplayName("bad tool arguments give a tool error that says what is wrong, and change nothing")
    void badArgumentsAreToolErrors() {
        try (CatalogClient client = CatalogClient.connect(mcp, bob())) {
            String before = client.readCatalog();
            List<Map<String, Object>> badCreates = List.of(
                    Map.of("price", 10),
                    Map.of("name", "", "price", 10),
                    Map.of("name", "x".repeat(CatalogFeatures.MAX_NAME_LENGTH + 1), "price", 10),
                    Map.of("name", "Lamp", "price", "ten"),
                    Map.of("name", "Lamp", "price", 0),
                    Map.of("name", "Lamp", "price", 10.001),
                    Map.of("name", "Lamp", "price", 2_000_000),
                    Map.of("name", 42, "price", 10));
            for (Map<String, Object> args : badCreates) {
                CallToolResult result = client.call("create_product", args);
                assertThat(result.isError()).as(args.toString()).isTrue();
                assertThat(CatalogClient.text(result)).as(args.toString()).isNotBlank();
            }
            for (Object id : List.of("1", 1.5, 0, -3, 99)) {
                CallToolResult result = client.call("delete_product", Map.of("id", id));
                assertThat(result.isError()).as(String.valueOf(id)).isTrue();
            }
            assertThat(CatalogClient.text(client.call("delete_product", Map.of("id", 99))))
                    .isEqualTo("delete_product: there is no product with id 99.");
            assertThat(client.readCatalog()).isEqualTo(before);
            // The same client can still do a valid call afterwards.
            assertThat(client.call("create_product", Map.of("name", "Lamp", "price", 10)).isError())
                    .isNotEqualTo(Boolean.TRUE);
        }
    }
}
