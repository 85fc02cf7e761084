package workshop.orders.auth.bearer;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import workshop.orders.Config;
import workshop.orders.server.Layers;
import workshop.orders.server.Orders;
import workshop.orders.server.OrdersServer;
import workshop.orders.support.RawHttp;
import workshop.orders.support.RawSocket;

/**
 * The chapter's middleware sends its refusal and then still calls the next handler. A filter that does so
 * passes every status-code test, so this one looks behind the refusal: a refused tool call must not place an
 * order, and a refused DELETE must not close the session. Each row starts from a session that works.
 */
@DisplayName("A refused request ends at the filter: it runs no tool and closes no session")
class RefusalEndsTheRequestTest {

    private static final String PLACE = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":"
            + "{\"name\":\"place_order\",\"arguments\":{\"product\":\"Refused lamp\",\"quantity\":1}}}";
    private static final String LIST = "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":"
            + "{\"name\":\"list_orders\",\"arguments\":{}}}";

    private static final String SECRET = Config.randomSecret();
    private static final String GOOD = "Bearer " + SECRET;
    private static OrdersServer server;
    private static int port;
    /** What got past the filter under test without the good credential: a refusal must stop each of them. */
    private static final List<String> passedWithoutTheSecret = new CopyOnWriteArrayList<>();

    /** Sits right behind the filter under test and notes every request that reached it without the secret. */
    private static final class Behind extends HttpFilter {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            if (!Objects.equals(request.getHeader("Authorization"), GOOD)) {
                passedWithoutTheSecret.add(request.getMethod() + " with " + request.getHeader("Authorization"));
            }
            chain.doFilter(request, response);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        server = OrdersServer.start("127.0.0.1", 0, Orders.seeded(), Set.of(), Layers.NONE
                .filter(new BearerSecretFilter(SECRET)).filter(new Behind()));
        port = server.port();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static RawSocket.Response send(String method, String session, String authorization, String body)
            throws Exception {
        RawSocket.Request request = new RawSocket(port).request(method, "/mcp")
                .header("Accept", "application/json, text/event-stream")
                .header("Mcp-Session-Id", session);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (body != null) {
            request.header("Content-Type", "application/json").body(body);
        }
        return request.send();
    }

    /** A session opened and initialized with the good credential; fails the test unless it works. */
    private static String openSession() throws Exception {
        RawSocket.Response opened = new RawSocket(port).request("POST", "/mcp")
                .header("Accept", "application/json, text/event-stream").header("Content-Type", "application/json")
                .header("Authorization", GOOD).body(RawHttp.INITIALIZE).send();
        assertThat(opened.status()).as(opened.toString()).isEqualTo(200);
        String session = opened.header("Mcp-Session-Id").orElseThrow();
        assertThat(send("POST", session, GOOD, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")
                .status()).isEqualTo(202);
        return session;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"01.1 no Authorization header", "01.2 Bearer with no token", "01.3 a wrong secret"})
    @DisplayName("01.1-01.3 a refused tool call places no order and a refused DELETE leaves the session open")
    void aRefusalChangesNothing(String row) throws Exception {
        String session = openSession();
        passedWithoutTheSecret.clear();
        String authorization = row.startsWith("01.1") ? null : row.startsWith("01.2") ? "Bearer"
                : "Bearer not-the-" + SECRET;
        RawSocket.Response placed = send("POST", session, authorization, PLACE);
        assertThat(placed.status()).as("the refused tool call: " + placed).isIn(400, 401);
        RawSocket.Response deleted = send("DELETE", session, authorization, null);
        assertThat(deleted.status()).as("the refused DELETE: " + deleted).isIn(400, 401);

        RawSocket.Response listed = send("POST", session, GOOD, LIST);
        assertThat(listed.status()).as("the session after the refused DELETE: " + listed).isEqualTo(200);
        assertThat(listed.body()).as("the orders after the refused tool call").contains("Printer paper")
                .doesNotContain("Refused lamp");
        // Checked after the last round trip: a refused request's thread has long passed the filter behind by then.
        assertThat(passedWithoutTheSecret).as("requests that went on down the chain after their refusal was written"
                + " (a refusal must return without calling chain.doFilter)").isEmpty();
    }
}
