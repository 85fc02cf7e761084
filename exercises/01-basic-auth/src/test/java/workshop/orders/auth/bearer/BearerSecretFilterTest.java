package workshop.orders.auth.bearer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.orders.Config;
import workshop.orders.server.Layers;
import workshop.orders.server.Orders;
import workshop.orders.server.OrdersServer;
import workshop.orders.support.RawHttp;
import workshop.orders.support.SecretFields;

/**
 * Tasks 01.1 to 01.3, over real HTTP. Each refusal is checked next to a request with the right
 * secret on the same server, so a filter that refuses everything earns nothing either.
 */
@DisplayName("The shared-secret filter, over real HTTP")
class BearerSecretFilterTest {

    private static final String SECRET = Config.randomSecret();
    private static final String GOOD = "Bearer " + SECRET;
    private static final String BARE_CHALLENGE = "Bearer realm=\"mcp\"";

    private static OrdersServer server;
    private static URI mcp;

    @BeforeAll
    static void start() throws Exception {
        server = OrdersServer.start("127.0.0.1", 0, Orders.seeded(), Set.of(), Layers.NONE
                .filter(new BearerSecretFilter(SECRET)));
        mcp = server.endpoint();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static void assertTheRightSecretIsAccepted() throws Exception {
        HttpResponse<String> response = RawHttp.initialize(mcp, "Authorization", GOOD);
        assertThat(response.statusCode()).as("the right secret must still open a session").isEqualTo(200);
        assertThat(response.headers().firstValue("Mcp-Session-Id")).isPresent();
        assertThat(response.body()).contains("\"serverInfo\"");
    }

    /** The status, a challenge that starts as given, and a JSON error body that does not echo the secret. */
    private static void assertRefused(HttpResponse<String> response, int status, String challenge, String error) {
        String sent = "a request with Authorization " + response.request().headers().allValues("Authorization").stream()
                .map(value -> value.length() > 40 ? value.substring(0, 40) + "...(" + value.length() + " chars)" : value)
                .toList();
        assertThat(response.statusCode()).as("HTTP status of " + sent).isEqualTo(status);
        assertThat(RawHttp.challenge(response)).as("WWW-Authenticate of " + sent).isNotNull().startsWith(challenge);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).contains("\"error\":\"" + error + "\"").doesNotContain(SECRET);
    }

    private static void assertNoCredential(HttpResponse<String> response) {
        assertRefused(response, 401, BARE_CHALLENGE, "unauthorized");
        assertThat(RawHttp.challenge(response)).as("no error code when no credential was sent (RFC 6750 §3.1)")
                .isEqualTo(BARE_CHALLENGE);
    }

    private static void assertMalformed(HttpResponse<String> response) {
        assertRefused(response, 400, BARE_CHALLENGE + ", error=\"invalid_request\"", "invalid_request");
    }

    private static void assertInvalidToken(HttpResponse<String> response) {
        assertRefused(response, 401, BARE_CHALLENGE + ", error=\"invalid_token\"", "invalid_token");
    }

    @Test
    @DisplayName("01.1 a request without Authorization is refused with 401 and a bare Bearer challenge")
    void task01_1_missingHeader() throws Exception {
        assertNoCredential(RawHttp.initialize(mcp));
        assertTheRightSecretIsAccepted();
    }

    @Test
    @DisplayName("01.1 an empty Authorization header is refused with 401 and a bare Bearer challenge")
    void task01_1_emptyHeader() throws Exception {
        assertNoCredential(RawHttp.initialize(mcp, "Authorization", ""));
        assertTheRightSecretIsAccepted();
    }

    @Test
    @DisplayName("01.1 another scheme (Basic, or none) is refused with 401, while 'bearer' in any case is Bearer")
    void task01_1_otherScheme() throws Exception {
        assertNoCredential(RawHttp.initialize(mcp, "Authorization", "Basic " + SECRET));
        assertNoCredential(RawHttp.initialize(mcp, "Authorization", SECRET));
        for (String scheme : List.of("bearer ", "BEARER ")) {
            assertThat(RawHttp.initialize(mcp, "Authorization", scheme + SECRET).statusCode()).as(scheme).isEqualTo(200);
        }
        assertTheRightSecretIsAccepted();
    }

    @Test
    @DisplayName("01.2 'Bearer' with no token is refused with 400 invalid_request")
    void task01_2_bearerWithoutToken() throws Exception {
        assertMalformed(RawHttp.initialize(mcp, "Authorization", "Bearer"));
        assertMalformed(RawHttp.initialize(mcp, "Authorization", "Bearer    "));
        assertTheRightSecretIsAccepted();
    }

    @Test
    @DisplayName("01.2 two Authorization headers are refused with 400 invalid_request, even both with the secret")
    void task01_2_twoHeaders() throws Exception {
        assertMalformed(RawHttp.initialize(mcp, "Authorization", GOOD, "Authorization", GOOD));
        assertMalformed(RawHttp.initialize(mcp, "Authorization", GOOD, "Authorization", "Bearer wrong"));
        assertTheRightSecretIsAccepted();
    }

    @Test
    @DisplayName("01.3 a wrong secret is refused with 401 invalid_token")
    void task01_3_wrongSecret() throws Exception {
        assertInvalidToken(RawHttp.initialize(mcp, "Authorization", "Bearer not-the-secret"));
        assertInvalidToken(RawHttp.initialize(mcp, "Authorization", "Bearer " + Config.randomSecret()));
        assertTheRightSecretIsAccepted();
    }

    @Test
    @DisplayName("01.3 near misses (a prefix, one character more, other case) are refused, even after a good request")
    void task01_3_nearMisses() throws Exception {
        // The good request first, on the same connection: Jetty's header cache once let a case variant
        // of a header it had just seen pass as that header (see OrdersServer).
        assertTheRightSecretIsAccepted();
        for (String guess : List.of(SECRET.substring(0, SECRET.length() - 1), SECRET + "x", SECRET.toUpperCase(),
                SECRET.toLowerCase())) {
            if (!guess.equals(SECRET)) {
                assertInvalidToken(RawHttp.initialize(mcp, "Authorization", "Bearer " + guess));
            }
        }
        assertTheRightSecretIsAccepted();
    }

    @Test
    @DisplayName("01.3 a 10 KB token and a non-ASCII token are refused with 401 invalid_token, not a 500")
    void task01_3_oddTokens() throws Exception {
        assertInvalidToken(RawHttp.initialize(mcp, "Authorization", "Bearer " + "a".repeat(10 * 1024)));
        assertInvalidToken(RawHttp.initialize(mcp, "Authorization", "Bearer s\u00e9cr\u00e9t-\u00fc\u00f1\u00ee"));
        assertTheRightSecretIsAccepted();
    }

    @Test
    @DisplayName("01.3 the filter keeps no plain copy of the secret in its fields (text, bytes or characters)")
    void task01_3_noPlainSecretInAField() throws Exception {
        String secret = Config.randomSecret();
        int fields = SecretFields.assertNoPlainCopy(new BearerSecretFilter(secret), secret);
        assertThat(fields).as("the filter keeps something to compare against").isPositive();
    }
}
