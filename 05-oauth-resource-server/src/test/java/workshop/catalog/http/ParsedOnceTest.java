package workshop.catalog.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.common.McpTransportContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.catalog.server.Catalog;
import workshop.catalog.server.CatalogServer;
import workshop.catalog.server.Layers;
import workshop.catalog.support.RawHttp;

/**
 * A POST body is read and parsed once for all the filters that look into it: a layer that reads it (as step 05's
 * ResourceServerFilter does) leaves what it parsed on the request, and InvalidParamsFilter, after the layers, judges
 * that very object instead of parsing the bytes again, and hands the layer's copy of the body on instead of reading
 * and copying it again. Shown on the real server: a layer that changes the object it got changes what
 * InvalidParamsFilter sees; the same layer leaving it alone lets the call through, and the MCP servlet gets the
 * very request the layer passed on.
 */
@DisplayName("Each POST body is read and parsed once for every filter that reads it, not once per filter")
class ParsedOnceTest {

    private static final String CALL = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\","
            + "\"params\":{\"name\":\"list_products\",\"arguments\":{}}}";

    /** A layer that reads the body as ResourceServerFilter does, and optionally spoils the params it parsed. */
    private static final class ReadingLayer extends HttpFilter {
        private static final long serialVersionUID = 1L;
        private final boolean spoil;
        /** The requests this layer passed on, each with the body it read. */
        final transient Queue<ReplayedBody> passedOn = new ConcurrentLinkedQueue<>();

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
            ReplayedBody body = ReplayedBody.read(request, 1024 * 1024);
            Map<String, Object> message = ReplayedBody.jsonObject(request, body.head());
            if (spoil && message != null && "tools/call".equals(message.get("method"))) {
                message.put("params", "not an object");
            }
            passedOn.add(body);
            chain.doFilter(body, response);
        }
    }

    /** The requests the MCP servlet got, as the SDK hands them to the transport context's extractor. */
    private final Queue<HttpServletRequest> reachedServlet = new ConcurrentLinkedQueue<>();

    private HttpResponse<String> callThrough(ReadingLayer layer) throws Exception {
        try (CatalogServer server = CatalogServer.start("127.0.0.1", 0, Catalog.seeded(), Set.of(),
                Layers.NONE.filter(layer).context(request -> {
                    reachedServlet.add(request);
                    return McpTransportContext.EMPTY;
                }))) {
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
        HttpResponse<String> untouched = callThrough(new ReadingLayer(false));
        assertThat(untouched.statusCode()).isEqualTo(200);
        assertThat(untouched.body()).as("the good call passes").contains("\"result\"").doesNotContain("-32602");

        HttpResponse<String> spoiled = callThrough(new ReadingLayer(true));
        assertThat(spoiled.statusCode()).isEqualTo(200);
        assertThat(spoiled.body()).as("InvalidParamsFilter saw the layer's object, not a parse of its own")
                .contains("-32602").contains("\"id\":7");
    }

    @Test
    @DisplayName("InvalidParamsFilter hands on the body a layer before it read, and the servlet reads that very copy")
    void invalidParamsFilterUsesTheLayersRead() throws Exception {
        ReadingLayer layer = new ReadingLayer(false);
        HttpResponse<String> answered = callThrough(layer);
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(answered.body()).as("the call passes").contains("\"result\"").contains("Laptop");

        assertThat(layer.passedOn).as("initialize, then the call").hasSize(2);
        assertThat(reachedServlet).as("the servlet got each request the layer passed on, no copy around it")
                .containsExactlyElementsOf(layer.passedOn);
    }

    @Test
    @DisplayName("A body a filter has started to read is read on from there, never handed on whole again")
    void aBodyStartedIsReadOnFromThere() throws Exception {
        Queue<String> seen = new ConcurrentLinkedQueue<>();
        HttpFilter peeking = new HttpFilter() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws IOException {
                ReplayedBody first = ReplayedBody.read(request, 1024 * 1024);
                seen.add("untouched, handed on: " + (ReplayedBody.read(first, 1024 * 1024) == first));
                seen.add("first byte: " + (char) first.getInputStream().read());
                ReplayedBody rest = ReplayedBody.read(first, 1024 * 1024);
                seen.add("after it: " + new String(rest.head(), StandardCharsets.UTF_8));
                response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            }
        };
        try (CatalogServer server = CatalogServer.start("127.0.0.1", 0, Catalog.seeded(), Set.of(),
                Layers.NONE.filter(peeking))) {
            assertThat(RawHttp.post(server.endpoint(), CALL).statusCode()).isEqualTo(204);
        }
        assertThat(seen).containsExactly("untouched, handed on: true", "first byte: {",
                "after it: " + CALL.substring(1));
    }
}
