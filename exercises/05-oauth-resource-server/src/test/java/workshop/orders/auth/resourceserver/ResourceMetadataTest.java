package workshop.orders.auth.resourceserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import workshop.orders.server.Layers;
import workshop.orders.server.Orders;
import workshop.orders.server.OrdersServer;
import workshop.orders.support.RawHttp;

/**
 * Task 05.1: the RFC 9728 document, on a server with the metadata endpoint alone (no other task needed). Its issuer
 * is made up: the metadata only names it.
 */
@DisplayName("05.1 Protected Resource Metadata (RFC 9728)")
class ResourceMetadataTest {

    private static final URI ISSUER = URI.create("http://127.0.0.1:9999");
    private static OrdersServer server;
    private static URI mcp;

    @BeforeAll
    static void start() throws Exception {
        server = OrdersServer.start("127.0.0.1", 0, Orders.seeded(), Set.of(), endpoint -> Layers.NONE.endpoint(
                ResourceMetadataServlet.PATH, new ResourceMetadataServlet(new ProtectedResource(endpoint, ISSUER,
                        List.of("orders.read", "orders.write", "orders.cancel")))));
        mcp = server.endpoint();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @ParameterizedTest(name = "05.1 GET {0}")
    @ValueSource(strings = {"/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"})
    @DisplayName("05.1 both metadata URLs answer 200 JSON: resource, authorization server, scopes, header")
    void metadata(String path) throws Exception {
        HttpResponse<String> response = RawHttp.get(mcp.resolve(path));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(RawHttp.json(response)).containsEntry("resource", mcp.toString())
                .containsEntry("authorization_servers", List.of(ISSUER.toString()))
                .containsEntry("scopes_supported", List.of("orders.read", "orders.write", "orders.cancel"))
                .containsEntry("bearer_methods_supported", List.of("header"));
        assertThat(mcp.toString()).matches("http://127\\.0\\.0\\.1:\\d+/mcp");
    }

    @ParameterizedTest(name = "05.1 {0} is 405")
    @ValueSource(strings = {"POST", "PUT", "DELETE"})
    @DisplayName("05.1 the metadata answers only GET: another method gets 405 with Allow: GET, and GET still works")
    void getOnly(String method) throws Exception {
        URI url = mcp.resolve("/.well-known/oauth-protected-resource/mcp");
        HttpResponse<String> refused = RawHttp.send(method, url, "application/json", "{}");
        assertThat(refused.statusCode()).isEqualTo(405);
        assertThat(refused.headers().firstValue("Allow")).hasValue("GET");
        assertThat(refused.body()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(RawHttp.get(url).statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("05.1 the metadata of another resource's path is 404, and the document never takes the request's Host")
    void otherPathAndHost() throws Exception {
        assertThat(RawHttp.get(mcp.resolve("/.well-known/oauth-protected-resource/other")).statusCode()).isEqualTo(404);
        URI viaLocalhost = URI.create("http://localhost:" + mcp.getPort() + "/.well-known/oauth-protected-resource/mcp");
        HttpResponse<String> response = RawHttp.get(viaLocalhost);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(RawHttp.json(response)).containsEntry("resource", mcp.toString());
    }
}
