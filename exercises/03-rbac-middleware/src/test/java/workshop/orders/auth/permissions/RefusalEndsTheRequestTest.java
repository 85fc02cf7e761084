package workshop.orders.auth.permissions;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import workshop.orders.support.AuthTestServer;
import workshop.orders.support.RawHttp;
import workshop.orders.support.RawSocket;

/**
 * The chapter's middleware sends its refusal and then still calls the next handler. A PermissionFilter that does
 * so passes every status-code test, so this one looks behind the refusal: a filter right behind it notes every
 * request of the refused caller that reached it, and a refused tool call must not place an order. Graded on the
 * stand-in Caller (support/StandInCaller), so it waits for neither 03.2 nor the other task.
 */
@DisplayName("A refused request ends at the PermissionFilter: nothing behind it runs")
class RefusalEndsTheRequestTest {

    private static final String PLACE = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":"
            + "{\"name\":\"place_order\",\"arguments\":{\"product\":\"Refused lamp\",\"quantity\":1}}}";
    private static final String LIST = "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":"
            + "{\"name\":\"list_orders\",\"arguments\":{}}}";

    /** Sits right behind the PermissionFilter and notes every request that reached it with the refused token. */
    private static final class Behind extends HttpFilter {
        private static final long serialVersionUID = 1L;
        final List<String> refusedButPassed = new CopyOnWriteArrayList<>();
        volatile String refused;

        @Override
        protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            if (refused != null && Objects.equals(request.getHeader("Authorization"), refused)) {
                refusedButPassed.add(request.getMethod() + " " + request.getRequestURI());
            }
            chain.doFilter(request, response);
        }
    }

    private static RawSocket.Response send(AuthTestServer server, String method, String session,
            String authorization, String body) throws Exception {
        RawSocket.Request request = new RawSocket(server.server.port()).request(method, "/mcp")
                .header("Accept", "application/json, text/event-stream")
                .header("Authorization", authorization);
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        if (body != null) {
            request.header("Content-Type", "application/json").body(body);
        }
        return request.send();
    }

    /** A session of the caller, opened while the caller may still use the server. */
    private static String openSession(AuthTestServer server, String authorization) throws Exception {
        RawSocket.Response opened = send(server, "POST", null, authorization, RawHttp.INITIALIZE);
        assertThat(opened.status()).as("initialize while still allowed: " + opened).isEqualTo(200);
        String session = opened.header("Mcp-Session-Id").orElseThrow();
        assertThat(send(server, "POST", session, authorization,
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").status()).isEqualTo(202);
        return session;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"03.3 a disabled bob", "03.4 carol, without User.Read"})
    @DisplayName("03.3-03.4 a refused tool call goes no further than the PermissionFilter")
    void aRefusalEndsAtThePermissionFilter(String row) throws Exception {
        Behind behind = new Behind();
        try (AuthTestServer fixture = AuthTestServer.withPermissionFilterAnd(behind)) {
            String alice = "Bearer " + fixture.token("alice");
            boolean disabled = row.startsWith("03.3");
            String caller = "Bearer " + fixture.token(disabled ? "bob" : "carol");
            String session = openSession(fixture, alice);
            if (disabled) {
                fixture.users.directory.setEnabled("bob", false);
            }
            behind.refused = caller;
            RawSocket.Response placed = send(fixture, "POST", session, caller, PLACE);
            assertThat(placed.status()).as("the refused tool call: " + placed).isEqualTo(disabled ? 401 : 403);

            RawSocket.Response listed = send(fixture, "POST", session, alice, LIST);
            assertThat(listed.status()).as("alice in her session afterwards: " + listed).isEqualTo(200);
            assertThat(listed.body()).as("the orders after the refused tool call").contains("Printer paper")
                    .doesNotContain("Refused lamp");
            // Checked after alice's round trip: the refused request's thread has long passed the filter behind by then.
            assertThat(behind.refusedButPassed).as("requests that went on down the chain after their refusal was"
                    + " written (a refusal must return without calling the rest of the chain)").isEmpty();
        }
    }
}
