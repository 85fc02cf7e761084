package workshop.catalog.auth.permissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.catalog.client.CatalogClient;
import workshop.catalog.server.Catalog;
import workshop.catalog.server.CatalogServer;
import workshop.catalog.server.Layers;
import workshop.catalog.support.AuthTestServer;
import workshop.catalog.support.TestTokens;

@DisplayName("The verified caller, from the request into the MCP tools")
class CallerTest {

    private static final String ALICE = "You are Alice (alice), with the permissions Admin.Write, User.Read, "
            + "User.Write.";
    private static final String BOB = "You are Bob (bob), with the permissions User.Read, User.Write.";

    private static CatalogClient connect(AuthTestServer server, String username) throws Exception {
        return CatalogClient.connect(server.mcp, server.login(username));
    }

    private static String whoami(CatalogClient client) {
        return CatalogClient.text(client.call("whoami", Map.of()));
    }

    @Test
    @DisplayName("whoami names the caller of the token, with the token's permissions: alice is alice, bob is bob")
    void whoamiShowsTheCaller() throws Exception {
        try (AuthTestServer server = AuthTestServer.start(); CatalogClient alice = connect(server, "alice");
                CatalogClient bob = connect(server, "bob")) {
            assertThat(whoami(alice)).isEqualTo(ALICE);
            assertThat(whoami(bob)).isEqualTo(BOB);
            assertThat(whoami(alice)).isEqualTo(ALICE);
        }
    }

    @Test
    @DisplayName("200 whoami calls of alice and bob on 8 threads at once: every answer names the client that asked")
    void noLeakageBetweenConcurrentCallers() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch gate = new CountDownLatch(1);
        try (AuthTestServer server = AuthTestServer.start(); CatalogClient alice = connect(server, "alice");
                CatalogClient bob = connect(server, "bob")) {
            Map<String, List<Future<String>>> answers = Map.of(ALICE, new ArrayList<>(), BOB, new ArrayList<>());
            for (int i = 0; i < 100; i++) {
                for (CatalogClient client : List.of(alice, bob)) {
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
    @DisplayName("the permissions are the token's, not re-read from the directory: a token with only User.Read shows only that")
    void permissionsComeFromTheToken() throws Exception {
        try (AuthTestServer server = AuthTestServer.start()) {
            Map<String, Object> claims = TestTokens.claims(server.clock.instant());
            claims.put("permissions", List.of("User.Read"));
            String token = TestTokens.sign(TestTokens.header(), claims, server.secret);
            try (CatalogClient bob = CatalogClient.connect(server.mcp, new CatalogClient.Tokens(token, null))) {
                assertThat(whoami(bob)).isEqualTo("You are Bob (bob), with the permissions User.Read.");
            }
            try (CatalogClient bob = connect(server, "bob")) {
                assertThat(whoami(bob)).isEqualTo(BOB);
            }
        }
    }

    @Test
    @DisplayName("on a server built with whoami but no auth layer, whoami is a tool error that says no caller arrived")
    void serverWithoutAuth() throws Exception {
        try (CatalogServer open = CatalogServer.start("127.0.0.1", 0, Catalog.seeded(), Set.of(),
                Layers.NONE.tool(WhoAmI.tool()));
                CatalogClient anonymous = CatalogClient.connect(open.endpoint(), null)) {
            CallToolResult result = anonymous.call("whoami", Map.of());
            assertThat(result.isError()).isTrue();
            assertThat(CatalogClient.text(result)).isEqualTo("whoami: this request carries no verified caller.");
        }
    }

    @Test
    @DisplayName("a Caller is immutable: its permissions are a sorted private copy, and the subject stands in for a missing name")
    void callerIsImmutable() {
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
    @DisplayName("Caller.of() finds the caller in a transport context, and nothing in an empty or foreign one")
    void callerFromTheTransportContext() {
        Caller alice = new Caller("alice", "Alice", Set.of("User.Read"));
        assertThat(Caller.of(McpTransportContext.create(Map.of(Caller.KEY, alice)))).contains(alice);
        assertThat(Caller.of(McpTransportContext.EMPTY)).isEmpty();
        assertThat(Caller.of(McpTransportContext.create(Map.of(Caller.KEY, "alice")))).isEmpty();
        assertThat(Caller.of(null)).isEmpty();
    }
}
