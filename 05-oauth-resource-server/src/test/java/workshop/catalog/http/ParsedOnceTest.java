package workshop.catalog.http;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.catalog.server.Catalog;
import workshop.catalog.server.CatalogServer;
import workshop.catalog.server.Layers;
import workshop.catalog.support.RawHttp;

/**
 * A POST body is parsed once for all the filters that look into it: a layer that reads it (as step 05's
 * ResourceServerFilter does) leaves what it parsed on the request, and InvalidParamsFilter, after the layers, judges
 * that very object instead of parsing the bytes again. Shown on the real server: a layer that changes the object it
 * got changes what InvalidParamsFilter sees; the same layer leaving it alone lets the call through.
 */
@DisplayName("Each POST body is parsed once for every filter that reads it, not once per filter")
class ParsedOnceTest {

    private static final String CALL = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\","
            + "\"params\":{\"name\":\"list_products\",\"arguments\":{}}}";

    /** A layer that reads the body as ResourceServerFilter does, and optionally spoils the params it parsed. */
    private static final class ReadingLayer extends HttpFilter {
        private static final long serialVersionUID = 1L;
        private final boolean spoil;

        ReadingLayer(boolean spoil) {
            this.spoil = spoil;
        }

        @Override
        protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            if (!"POST".equals(request.getMethod())) {
                chain.doFilter(request, response);
                return;
            }
            byte[] body = request.getInputStream().readAllBytes();
            Map<String, Object> message = ReplayedBody.jsonObject(request, body);
            if (spoil && message != null && "tools/call".equals(message.get("method"))) {
                message.put("params", "not an object");
            }
            chain.doFilter(new ReplayedBody(request, body, request.getInputStream()), response);
        }
    }

    private static HttpResponse<String> callThrough(boolean spoil) throws Exception {
        try (CatalogServer server = CatalogServer.start("127.0.0.1", 0, Catalog.seeded(), Set.of(),
                Layers.NONE.filter(new ReadingLayer(spoil)))) {
            URI mcp = server.endpoint();
            HttpResponse<String> opened = RawHttp.initialize(mcp);
            assertThat(opened.statusCode()).as(opened.body()).isEqualTo(200);
            String session = opened.headers().firstValue("Mcp-Session-Id").orElseThrow();
            return RawHttp.post(mcp, CALL, "Mcp-Session-Id", session);
        }
    }

    @Test
    @DisplayName("InvalidParamsFilter judges the object a layer before it parsed, and does not parse the body again")
    void invalidParamsFilterUsesTheLayersParse() throws Exception {
        HttpResponse<String> untouched = callThrough(false);
        assertThat(untouched.statusCode()).isEqualTo(200);
        assertThat(untouched.body()).as("the good call passes").contains("\"result\"").doesNotContain("-32602");

        HttpResponse<String> spoiled = callThrough(true);
        assertThat(spoiled.statusCode()).isEqualTo(200);
        assertThat(spoiled.body()).as("InvalidParamsFilter saw the layer's object, not a parse of its own")
                .contains("-32602").contains("\"id\":7");
    }
}
