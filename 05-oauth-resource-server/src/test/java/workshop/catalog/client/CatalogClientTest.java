package workshop.catalog.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.catalog.support.TestStack;

/**
 * The discovering client against the real authorization server and MCP server (once for the class): it starts with
 * nothing but the endpoint, and every step it takes is recorded as the transcript would show it.
 */
@DisplayName("Step 05's client: discovers everything from the 401, and steps up once on a 403")
class CatalogClientTest {

    private static final String STEP_UP_REFUSED = "step-up refused: asked for catalog.delete catalog.read, the"
            + " authorization server granted carol only catalog.read (carol may not have catalog.delete)";

    private static TestStack stack;
    private static String metadataUrl;
    private final List<String> shown = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        stack = TestStack.start();
        metadataUrl = stack.mcp.resolve("/.well-known/oauth-protected-resource/mcp").toString();
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    private CatalogClient connect(URI endpoint, UserAgent user) {
        return CatalogClient.connect(endpoint, user, (request, result) -> shown.add(request + " => " + result));
    }

    private CatalogClient connect(String user) {
        return connect(stack.mcp, new HeadlessLogin(user, stack.authServer.password(user)));
    }

    @Test
    @DisplayName("carol: 401 → resource metadata → authorization server metadata → registration → login for the challenge's scope; she reads, and sees every tool")
    void discoversAndReads() {
        try (CatalogClient carol = connect("carol")) {
            assertThat(carol.granted()).containsExactly("catalog.read");
            assertThat(carol.toolNames())
                    .containsExactly("list_products", "create_product", "delete_product", "whoami");
            assertThat(CatalogClient.text(carol.call("list_products", Map.of()))).contains("#2 Mechanical keyboard");
        }
        URI issuer = stack.authServer.issuer();
        assertThat(shown).hasSize(5);
        assertThat(shown.get(0)).isEqualTo("POST /mcp (no token) => 401, WWW-Authenticate: Bearer realm=\"mcp\", resource_metadata=\""
                + metadataUrl + "\", scope=\"catalog.read\"");
        assertThat(shown.get(1)).startsWith("GET " + metadataUrl + " (RFC 9728) => resource " + stack.mcp
                + " (the endpoint: checked), authorization_servers [" + issuer + "]");
        assertThat(shown.get(2)).startsWith("GET " + issuer + "/.well-known/oauth-authorization-server (RFC 8414) =>"
                + " authorization_endpoint " + issuer + "/oauth2/authorize");
        assertThat(shown.get(3)).startsWith("POST " + issuer + "/oauth2/register ").contains("=> 201: client_id ");
        assertThat(shown.get(4)).startsWith("carol logs in: GET /oauth2/authorize (scope catalog.read, PKCE S256,"
                + " resource " + stack.mcp + ")").endsWith("with the scope catalog.read");
        assertNoCredential();
    }

    @Test
    @DisplayName("alice: her delete_product gets 403 insufficient_scope, the client asks for the union of scopes, is granted it, and the call goes through")
    void stepUpGranted() {
        try (CatalogClient alice = connect("alice")) {
            assertThat(alice.granted()).containsExactly("catalog.read");
            assertThat(CatalogClient.text(alice.call("delete_product", Map.of("id", 3)))).isEqualTo(
                    "Deleted #3 USB-C cable ($9.99)");
            assertThat(alice.granted()).containsExactlyInAnyOrder("catalog.delete", "catalog.read");
        }
        assertThat(shown).hasSize(7);
        assertThat(shown.get(5)).isEqualTo("POST /mcp (alice's token: catalog.read) => 403, WWW-Authenticate: Bearer"
                + " realm=\"mcp\", error=\"insufficient_scope\", scope=\"catalog.delete catalog.read\", resource_metadata=\""
                + metadataUrl + "\"");
        assertThat(shown.get(6)).startsWith("alice authorizes again: GET /oauth2/authorize (scope catalog.delete"
                + " catalog.read,").endsWith("with the scope catalog.delete catalog.read");
        assertNoCredential();
    }

    @Test
    @DisplayName("carol: the step-up is refused because she may not have catalog.delete: one clear line, asked once only, and the client still reads")
    void stepUpRefused() {
        try (CatalogClient carol = connect("carol")) {
            for (int attempt = 0; attempt < 2; attempt++) {
                assertThatThrownBy(() -> carol.call("delete_product", Map.of("id", 2)))
                        .satisfies(refused -> assertThat(CatalogClient.explain(refused)).isEqualTo(STEP_UP_REFUSED));
            }
            assertThat(carol.granted()).containsExactly("catalog.read");
            assertThat(CatalogClient.text(carol.call("list_products", Map.of()))).contains("#2 Mechanical keyboard");
        }
        assertThat(shown.stream().filter(line -> line.startsWith("carol authorizes again"))).hasSize(1);
        assertThat(shown.stream().filter(line -> line.contains("=> 403, "))).hasSize(2);
        assertNoCredential();
    }

    @Test
    @DisplayName("resource metadata about another resource is refused before registering: the client came through localhost, the server's canonical URL is 127.0.0.1")
    void wrongResourceRefused() {
        URI localhost = URI.create("http://localhost:" + stack.mcp.getPort() + "/mcp");
        assertThatThrownBy(() -> connect(localhost, new HeadlessLogin("carol", stack.authServer.password("carol"))))
                .satisfies(refused -> assertThat(CatalogClient.explain(refused)).isEqualTo(
                        "the resource metadata is about " + stack.mcp + ", not " + localhost));
        assertThat(shown).singleElement().asString().startsWith("POST /mcp (no token) => 401,");
    }

    @Test
    @DisplayName("a wrong password: one line, no token, no retry loop")
    void wrongPassword() {
        assertThatThrownBy(() -> connect(stack.mcp, new HeadlessLogin("carol", "not-carols-password")))
                .satisfies(refused -> assertThat(CatalogClient.explain(refused)).isEqualTo(
                        "the authorization server refused the login of carol"));
        assertThat(shown).hasSize(4).noneMatch(line -> line.contains("logs in"));
    }

    @Test
    @DisplayName("the user agent keeps its password to itself")
    void userAgentHidesPassword() {
        assertThat(new HeadlessLogin("carol", stack.authServer.password("carol")).toString())
                .isEqualTo("HeadlessLogin[carol, password=(hidden)]");
        assertThat(Set.of(new AuthorizationCodeFlow.Granted("eyJ.secret", Set.of("catalog.read"))).toString())
                .doesNotContain("eyJ");
    }

    /** What the flow showed holds no token and no password (the client_id is not a credential). */
    private void assertNoCredential() {
        assertThat(String.join("\n", shown)).doesNotContainPattern("eyJ[\\w-]*\\.").doesNotContain("Bearer ey")
                .doesNotContain(TestStack.PASSWORDS);
    }
}
