package workshop.orders.auth.resourceserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import workshop.orders.client.OrdersClient;
import workshop.orders.support.LayerServer;
import workshop.orders.support.RawHttp;

/**
 * Task 05.4: the 403 {@code insufficient_scope} the filter decides from the JSON-RPC body, before the SDK runs
 * anything, on {@link LayerServer} (a verifier of the test's: no 05.3 needed). Every refusal is checked next to a call
 * that passes, so a filter that refuses everything earns nothing, and one that lets everything through (the guard
 * inside would still refuse, with a tool error and a 200) earns nothing either.
 */
@DisplayName("05.4 The scope check and its 403 step-up challenge")
class ScopeCheckTest {

    private static LayerServer desk;

    @BeforeAll
    static void start() throws Exception {
        desk = LayerServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        desk.close();
    }

    @Test
    @DisplayName("05.4 a call needing a scope the token lacks: 403 insufficient_scope; the tool does not run")
    void insufficientScope() throws Exception {
        String carol = desk.fresh("carol", "orders.read");
        String session = desk.open(carol);
        HttpResponse<String> place = desk.place(carol, session, "Lamp");
        assertThat(place.statusCode()).as(place.body()).isEqualTo(403);
        assertThat(RawHttp.challenge(place)).isEqualTo("Bearer realm=\"mcp\", error=\"insufficient_scope\", scope=\"orders.write "
                + "orders.read\", resource_metadata=\"" + desk.metadataUrl + "\"");
        assertThat(RawHttp.json(place)).containsEntry("error", "insufficient_scope")
                .containsEntry("error_description", "tool place_order needs the scope orders.write, which the access "
                        + "token does not grant");
        HttpResponse<String> listed = desk.call(carol, session, "tools/call", "{\"name\":\"list_orders\",\"arguments\":{}}");
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).contains("#3 Whiteboard marker").doesNotContain("Lamp");

        String bob = desk.fresh("bob", "orders.read", "orders.write");
        HttpResponse<String> placed = desk.place(bob, desk.open(bob), "Desk lamp");
        assertThat(placed.statusCode()).isEqualTo(200);
        assertThat(placed.body()).contains("Placed #").contains("Desk lamp");
    }

    @Test
    @DisplayName("05.4 carol's cancel of her own #3: 403 naming orders.cancel and orders.read; #3 stays")
    void cancelNeedsAScope() throws Exception {
        String carol = desk.fresh("carol", "orders.read");
        HttpResponse<String> refused = desk.cancel(carol, desk.open(carol), 3);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(RawHttp.challenge(refused)).isEqualTo("Bearer realm=\"mcp\", error=\"insufficient_scope\", scope=\"orders.cancel "
                + "orders.read\", resource_metadata=\"" + desk.metadataUrl + "\"");
        assertThat(desk.isOpen(3)).isTrue();

        String bob = desk.fresh("bob", "orders.read", "orders.write");
        int id = LayerServer.placedId(desk.place(bob, desk.open(bob), "Paper clips"));
        String alice = desk.fresh("alice", "orders.read", "orders.cancel");
        assertPastTheScopeCheck(desk.cancel(alice, desk.open(alice), id), "Cancelled #" + id);
    }

    @Test
    @DisplayName("05.4 orders.write passes the scope check for cancel_order: the guard decides which order")
    void ownerPassesTheScopeCheck() throws Exception {
        String bob = desk.fresh("bob", "orders.read", "orders.write");
        String session = desk.open(bob);
        int id = LayerServer.placedId(desk.place(bob, session, "Sticky notes"));
        assertPastTheScopeCheck(desk.cancel(bob, session, id), "Cancelled #" + id);
        assertPastTheScopeCheck(desk.cancel(bob, session, 1), "Permission denied: tool cancel_order needs orders.cancel,"
                + " or orders.write and to be the user who placed the open order 1");
        assertThat(desk.isOpen(1)).isTrue();
        String reader = desk.fresh("bob", "orders.read");
        assertThat(desk.cancel(reader, desk.open(reader), 2).statusCode()).as("bob with orders.read alone").isEqualTo(403);
        assertThat(desk.isOpen(2)).isTrue();
    }

    @Test
    @DisplayName("05.4 the resource and the prompt need orders.read: 403 for a token with orders.write only")
    void resourceAndPrompt() throws Exception {
        String writer = desk.fresh("bob", "orders.write");
        String session = desk.open(writer);
        HttpResponse<String> read = desk.call(writer, session, "resources/read", "{\"uri\":\"orders://open\"}");
        assertThat(read.statusCode()).isEqualTo(403);
        assertThat(RawHttp.challenge(read)).contains("scope=\"orders.read orders.write\"");
        HttpResponse<String> prompt = desk.call(writer, session, "prompts/get", "{\"name\":\"summarize_orders\"}");
        assertThat(prompt.statusCode()).isEqualTo(403);
        String carol = desk.fresh("carol", "orders.read");
        String carolSession = desk.open(carol);
        assertThat(desk.call(carol, carolSession, "resources/read", "{\"uri\":\"orders://open\"}").body())
                .contains("#3 Whiteboard marker");
        assertThat(desk.call(carol, carolSession, "prompts/get", "{\"name\":\"summarize_orders\"}").statusCode())
                .isEqualTo(200);
    }

    @ParameterizedTest(name = "05.4 {0}")
    @ValueSource(strings = {"duplicate name keys", "an escaped name"})
    @DisplayName("05.4 the body is read as the SDK reads it: odd spellings of place_order still get 403")
    void oddBodies(String kind) throws Exception {
        String carol = desk.fresh("carol", "orders.read");
        String session = desk.open(carol);
        String params = kind.equals("duplicate name keys")
                ? "{\"name\":\"list_orders\",\"name\":\"place_order\",\"arguments\":{\"product\":\"Odd\",\"quantity\":1}}"
                : "{\"name\":\"place\\u005forder\",\"arguments\":{\"product\":\"Odd\",\"quantity\":1}}";
        HttpResponse<String> refused = desk.call(carol, session, "tools/call", params);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        HttpResponse<String> listed = desk.call(carol, session, "tools/call", "{\"name\":\"list_orders\",\"arguments\":{}}");
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).doesNotContain("Odd");
    }

    @Test
    @DisplayName("05.4 the SDK client sees the 403 as an authorization error with the step-up challenge")
    void sdkClientSeesTheChallenge() {
        try (OrdersClient client = OrdersClient.connect(desk.mcp, desk.fresh("carol", "orders.read"))) {
            assertThatThrownBy(() -> client.call("cancel_order", Map.of("id", 3)))
                    .satisfies(refused -> assertThat(OrdersClient.explain(refused)).startsWith("HTTP 403")
                            .contains("error=\"insufficient_scope\"", "scope=\"orders.cancel orders.read\""));
            assertThat(OrdersClient.text(client.call("whoami", Map.of()))).contains("(carol)");
        }
    }

    /**
     * A cancel_order that must get past the scope check: the tool answers (200, with {@code text}), or else the
     * recent-login rule of 05.5 may (401 insufficient_user_authentication), so that a 05.5 refusing every login
     * costs 05.4 nothing. A 403 fails.
     */
    private static void assertPastTheScopeCheck(HttpResponse<String> response, String text) {
        assertThat(response.statusCode()).as(response.body()).isIn(200, 401);
        if (response.statusCode() == 401) {
            assertThat(RawHttp.challenge(response)).startsWith("Bearer realm=\"mcp\", error=\"insufficient_user_authentication\"");
        } else {
            assertThat(response.body()).contains(text);
        }
    }
}
