package workshop.orders.auth.bearer;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.orders.Config;
import workshop.orders.server.Layers;
import workshop.orders.server.Orders;
import workshop.orders.server.OrdersServer;
import workshop.orders.support.LogCapture;
import workshop.orders.support.RawHttp;
import workshop.orders.support.SecretFields;

/**
 * Task 01.6, secret rotation, over real HTTP: while a previous secret is configured it gets in as well, and the
 * server's log says so, without the secret, so that its operators know when to retire it. Each test runs a
 * server of its own with a fresh filter; each refusal is checked next to the secrets that must get in.
 */
@DisplayName("Secret rotation: the previous secret, while it is configured")
class PreviousSecretTest {

    private static final String SECRET = Config.randomSecret();
    private static final String PREVIOUS = Config.randomSecret();
    private static final String INVALID_TOKEN = "Bearer realm=\"mcp\", error=\"invalid_token\"";

    /** A clock the tests move by hand: the log's interval is checked without waiting for it. */
    private static final class MovingClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T09:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the filter needs no zone");
        }
    }

    /**
     * {@code new BearerSecretFilter(secret, previous, clock)}, called by reflection: a filter without that
     * constructor (the lesson's, copied over) fails each 01.6 test here instead of the whole module's compilation.
     */
    private static BearerSecretFilter filter(String secret, String previous, Clock clock) throws Exception {
        try {
            return BearerSecretFilter.class.getConstructor(String.class, String.class, Clock.class)
                    .newInstance(secret, previous, clock);
        } catch (NoSuchMethodException missing) {
            throw new AssertionError("01.6 needs the constructor BearerSecretFilter(String secret, String"
                    + " previousSecret, Clock clock) of the starting point", missing);
        } catch (InvocationTargetException thrown) {
            throw thrown.getCause() instanceof Exception cause ? cause : thrown;
        }
    }

    private static OrdersServer serve(BearerSecretFilter filter) throws Exception {
        return OrdersServer.start("127.0.0.1", 0, Orders.seeded(), Set.of(), Layers.NONE.filter(filter));
    }

    private static void assertGetsIn(URI mcp, String secret, String which) throws Exception {
        HttpResponse<String> response = RawHttp.initialize(mcp, "Authorization", "Bearer " + secret);
        assertThat(response.statusCode()).as(which + " must open a session").isEqualTo(200);
        assertThat(response.headers().firstValue("Mcp-Session-Id")).as(which).isPresent();
    }

    private static void assertInvalidToken(URI mcp, String token, String which) throws Exception {
        HttpResponse<String> response = RawHttp.initialize(mcp, "Authorization", "Bearer " + token);
        assertThat(response.statusCode()).as("HTTP status of " + which).isEqualTo(401);
        assertThat(RawHttp.challenge(response)).as("WWW-Authenticate of " + which).isNotNull()
                .startsWith(INVALID_TOKEN);
        assertThat(response.body()).contains("\"error\":\"invalid_token\"").doesNotContain(token);
    }

    /** The WARN lines about the previous secret logged since {@code mark}, a length of the captured output. */
    private static List<String> previousSecretWarnings(int mark) {
        return LogCapture.captured().substring(mark).lines()
                .filter(line -> line.startsWith("WARN ") && line.toLowerCase(Locale.ROOT).contains("previous"))
                .toList();
    }

    @Test
    @DisplayName("01.6 while a previous secret is configured it opens a session, and so does the current secret")
    void task01_6_previousSecretGetsIn() throws Exception {
        try (OrdersServer server = serve(filter(SECRET, PREVIOUS, new MovingClock()))) {
            assertGetsIn(server.endpoint(), PREVIOUS, "the previous secret");
            assertGetsIn(server.endpoint(), SECRET, "the current secret");
        }
    }

    @Test
    @DisplayName("01.6 with no previous secret configured, the old one gets 401 invalid_token")
    void task01_6_withoutPreviousOnlyTheCurrentSecret() throws Exception {
        try (OrdersServer server = serve(filter(SECRET, null, new MovingClock()))) {
            assertInvalidToken(server.endpoint(), PREVIOUS, "a secret that is no longer configured");
            assertGetsIn(server.endpoint(), SECRET, "the current secret");
        }
    }

    @Test
    @DisplayName("01.6 with a previous secret, a wrong secret and near misses of either get 401 invalid_token")
    void task01_6_wrongSecretsStillRefused() throws Exception {
        try (OrdersServer server = serve(filter(SECRET, PREVIOUS, new MovingClock()))) {
            URI mcp = server.endpoint();
            assertInvalidToken(mcp, Config.randomSecret(), "a wrong secret");
            for (String secret : List.of(SECRET, PREVIOUS)) {
                String which = secret.equals(SECRET) ? "the current secret" : "the previous secret";
                assertInvalidToken(mcp, secret.substring(0, secret.length() - 1), which + " without its last character");
                assertInvalidToken(mcp, secret + "x", which + " with one character more");
                assertInvalidToken(mcp, secret + PREVIOUS, which + " followed by the other one");
            }
            assertGetsIn(mcp, PREVIOUS, "the previous secret");
            assertGetsIn(mcp, SECRET, "the current secret");
        }
    }

    @Test
    @DisplayName("01.6 the previous secret logs a WARN line holding neither secret; the current one logs none")
    void task01_6_previousSecretUseIsLogged() throws Exception {
        try (OrdersServer server = serve(filter(SECRET, PREVIOUS, new MovingClock()))) {
            int mark = LogCapture.captured().length();
            assertGetsIn(server.endpoint(), SECRET, "the current secret");
            assertThat(previousSecretWarnings(mark)).as("WARN lines about the previous secret after the current"
                    + " secret was used").isEmpty();

            assertGetsIn(server.endpoint(), PREVIOUS, "the previous secret");
            assertThat(previousSecretWarnings(mark)).as("WARN lines (with the word 'previous') after the previous"
                    + " secret was used").hasSize(1);
            String logged = LogCapture.captured().substring(mark);
            assertThat(logged).as("what the server logged").doesNotContain(PREVIOUS).doesNotContain(SECRET);
        }
    }

    @Test
    @DisplayName("01.6 the warning comes on the first use, then at most once a minute, with the count of uses")
    void task01_6_warningIsThrottled() throws Exception {
        MovingClock clock = new MovingClock();
        try (OrdersServer server = serve(filter(SECRET, PREVIOUS, clock))) {
            URI mcp = server.endpoint();
            int mark = LogCapture.captured().length();
            assertGetsIn(mcp, PREVIOUS, "the previous secret, first use");
            assertThat(previousSecretWarnings(mark)).as("WARN lines after the first use").hasSize(1);

            assertGetsIn(mcp, PREVIOUS, "the previous secret, second use");
            assertGetsIn(mcp, PREVIOUS, "the previous secret, third use");
            clock.advance(Duration.ofSeconds(59));
            assertGetsIn(mcp, PREVIOUS, "the previous secret, 59 s after the first");
            assertThat(previousSecretWarnings(mark)).as("WARN lines within a minute of the first").hasSize(1);

            clock.advance(Duration.ofSeconds(2));
            assertGetsIn(mcp, PREVIOUS, "the previous secret, 61 s after the first");
            List<String> warnings = previousSecretWarnings(mark);
            assertThat(warnings).as("WARN lines once a minute has passed").hasSize(2);
            assertThat(warnings.get(1)).as("the second line counts the 4 uses since the first line, its own included")
                    .containsPattern("(?<![\\d.,])4(?![\\d.,])");

            clock.advance(Duration.ofMinutes(5));
            assertGetsIn(mcp, SECRET, "the current secret");
            assertThat(previousSecretWarnings(mark)).as("WARN lines after the current secret was used").hasSize(2);
        }
    }

    @Test
    @DisplayName("01.6 the filter keeps no plain copy of either secret in its fields (text, bytes or characters)")
    void task01_6_noPlainPreviousSecretInAField() throws Exception {
        String secret = Config.randomSecret();
        String previous = Config.randomSecret();
        int fields = SecretFields.assertNoPlainCopy(filter(secret, previous, new MovingClock()), secret, previous);
        assertThat(fields).as("the filter keeps something to compare against").isPositive();
    }
}
