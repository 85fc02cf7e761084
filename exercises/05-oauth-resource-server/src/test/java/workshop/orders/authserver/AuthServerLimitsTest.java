package workshop.orders.authserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import workshop.orders.demo.DemoClock;
import workshop.orders.support.TestStack;

/**
 * What bounds the stand-in authorization server: registration (body size, fields, rate, number of clients, other
 * origins), the redirect URI of an authorization request, the login form's throttle, unknown well-known paths and
 * the token endpoint without a client: code the exercise gives (05.0), graded so that the limits stay in the
 * solution's suite. The server has a clock of its own that the tests move: no sleeping; each
 * test starts an hour after the previous one, when every window and wait of the limits is over.
 */
@DisplayName("05.0 The authorization server's limits: registration, redirect URIs, login throttle, unknown paths")
class AuthServerLimitsTest {

    private static final String NAME = "{\"redirect_uris\":[\"http://127.0.0.1/cb\"],\"token_endpoint_auth_method\":\"none\"";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"");
    private static final String RESOURCE = "http://127.0.0.1:1/mcp";

    private static final DemoClock clock = new DemoClock(Instant.parse("2026-01-01T00:00:00Z"));
    private static AuthServer as;

    @BeforeAll
    static void start() throws Exception {
        as = AuthServer.start(0, Map.of(), clock);
        as.resource(URI.create(RESOURCE));
        AuthServer.users().keySet().forEach(user -> TestStack.PASSWORDS.add(as.password(user))); // LogHygieneTest
    }

    @AfterAll
    static void stop() throws Exception {
        as.close();
    }

    @BeforeEach
    void anHourLater() {
        clock.advance(Duration.ofHours(1));
    }

    @Test
    @DisplayName("05.0 registration: 2 MB (a client_name) is 413, a 201-character client_name 400; 200 characters pass")
    void registrationSize() throws Exception {
        String huge = rawRegistration("Content-Length: "
                + (NAME + ",\"client_name\":\"" + "x".repeat(2_000_000) + "\"}").length() + "\r\n", new byte[0]);
        assertThat(huge).as("2 MB announced").startsWith("HTTP/1.1 413 ").contains("\"error\":\"invalid_client_metadata\"");
        byte[] json = (NAME + ",\"client_name\":\"" + "x".repeat(17_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] chunked = concat((Integer.toHexString(json.length) + "\r\n").getBytes(StandardCharsets.US_ASCII), json,
                "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(rawRegistration("Transfer-Encoding: chunked\r\n", chunked))
                .as("17 kB without Content-Length (chunked): read up to the limit").startsWith("HTTP/1.1 413 ");
        HttpResponse<String> long201 = register(NAME + ",\"client_name\":\"" + "x".repeat(201) + "\"}");
        assertThat(long201.statusCode()).isEqualTo(400);
        assertThat(long201.body()).contains("\"error\":\"invalid_client_metadata\"");
        assertThat(register(NAME + ",\"client_name\":\"" + "x".repeat(200) + "\"}").statusCode()).isEqualTo(201);
    }

    @Test
    @DisplayName("05.0 registration: 100 redirect URIs (or 6) are 400 invalid_redirect_uri; 5 pass")
    void redirectUriCount() throws Exception {
        for (int count : new int[] {100, 6}) {
            HttpResponse<String> many = register(redirectUris(count));
            assertThat(many.statusCode()).as("%d redirect URIs", count).isEqualTo(400);
            assertThat(many.body()).contains("\"error\":\"invalid_redirect_uri\"");
        }
        assertThat(register(redirectUris(5)).statusCode()).isEqualTo(201);
    }

    @Test
    @DisplayName("05.0 registration: text/plain from Origin https://evil.example is 403; a loopback page's is 201")
    void crossOriginRegistration() throws Exception {
        String body = NAME + "}";
        HttpResponse<String> evil = send(post("/oauth2/register", "text/plain", body)
                .header("Origin", "https://evil.example").build());
        assertThat(evil.statusCode()).isEqualTo(403);
        HttpResponse<String> page = send(post("/oauth2/register", "application/json", body)
                .header("Origin", "http://localhost:6274").build());
        assertThat(page.statusCode()).isEqualTo(201);
    }

    @Test
    @DisplayName("05.0 registration: of a burst of 1,200 from one address 30 pass, then 429 + Retry-After for a minute")
    void registrationRate() throws Exception {
        int before = as.registeredClients();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<HttpResponse<String>>> burst = new ArrayList<>();
        try {
            for (int i = 0; i < 1_200; i++) {
                burst.add(pool.submit(() -> register(NAME + "}")));
            }
            Map<Integer, Long> statuses = new LinkedHashMap<>();
            for (Future<HttpResponse<String>> answer : burst) {
                HttpResponse<String> response = answer.get();
                statuses.merge(response.statusCode(), 1L, Long::sum);
                if (response.statusCode() == 429) {
                    assertThat(response.headers().firstValue("Retry-After")).hasValue("60");
                    assertThat(response.body()).contains("\"error\":\"too_many_requests\"");
                }
            }
            assertThat(statuses).containsExactlyInAnyOrderEntriesOf(Map.of(201, 30L, 429, 1_170L));
        } finally {
            pool.shutdownNow();
        }
        assertThat(as.registeredClients()).isEqualTo(before + 30);
        clock.advance(Duration.ofSeconds(59));
        assertThat(register(NAME + "}").statusCode()).isEqualTo(429);
        clock.advance(Duration.ofSeconds(1));
        assertThat(register(NAME + "}").statusCode()).isEqualTo(201);
    }

    @Test
    @DisplayName("05.0 at most 1,000 clients are kept: of 1,200 the oldest never used go first, a client in use stays")
    void clientStoreIsBounded() {
        RegisteredClients clients = new RegisteredClients(RegisteredClients.CAPACITY);
        List<RegisteredClient> all = IntStream.range(0, 1_200).mapToObj(i -> client("client-" + i)).toList();
        clients.save(all.get(0));
        clients.save(all.get(1));
        assertThat(clients.findByClientId("client-0")).isNotNull(); // used: it goes last
        all.stream().skip(2).forEach(clients::save);
        assertThat(clients.size()).isEqualTo(1_000);
        assertThat(clients.findByClientId("client-0")).isNotNull();
        assertThat(clients.findByClientId("client-1")).isNull();
        assertThat(clients.findByClientId("client-200")).isNull();
        assertThat(clients.findByClientId("client-201")).isNotNull();
        assertThat(clients.findByClientId("client-1199")).isNotNull();
    }

    @Test
    @DisplayName("05.0 redirect_uri: user info, a fragment, another port on a name or another path is a 400 page")
    void redirectUriMatching() throws Exception {
        String clientId = clientId(register("""
                {"redirect_uris":["http://localhost/cb","http://127.0.0.1/cb"],"token_endpoint_auth_method":"none"}"""));
        for (String refused : List.of("http://evil@localhost:6274/cb", "http://evil@localhost/cb",
                "http://localhost/cb#frag", "http://localhost:6274/cb", "http://127.0.0.1:6274/cb#x",
                "http://127.0.0.1:6274/cb/", "http://127.0.0.1:6274/cb?x=1", "http://evil@127.0.0.1/cb")) {
            HttpResponse<String> answer = authorize(clientId, refused);
            assertThat(answer.statusCode()).as(refused).isEqualTo(400);
            assertThat(answer.body()).as(refused).contains("redirect_uri").doesNotContain("Exception", "\tat ");
        }
        for (String accepted : List.of("http://localhost/cb", "http://127.0.0.1/cb", "http://127.0.0.1:6274/cb")) {
            HttpResponse<String> answer = authorize(clientId, accepted);
            assertThat(answer.statusCode()).as(accepted).isEqualTo(302);
            assertThat(answer.headers().firstValue("Location")).as(accepted).hasValueSatisfying(to -> assertThat(to).endsWith("/login"));
        }
    }

    @Test
    @DisplayName("05.0 login: 20 wrong passwords meet 429 + Retry-After, bob's as an unknown user's; the wait ends")
    void loginThrottle() throws Exception {
        List<String> bob = new ArrayList<>();
        List<String> nobody = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            bob.add(outcome(login("bob", "wrong-" + i)));
            nobody.add(outcome(login("mallory", "wrong-" + i)));
        }
        List<String> expected = new ArrayList<>(Collections.nCopies(5, "302 /login?error"));
        expected.addAll(Collections.nCopies(15, "429 Retry-After 1"));
        assertThat(bob).isEqualTo(expected);
        assertThat(nobody).isEqualTo(bob);
        assertThat(outcome(login("bob", as.password("bob")))).as("the right password, too early")
                .isEqualTo("429 Retry-After 1");
        clock.advance(Duration.ofSeconds(1));
        assertThat(outcome(login("bob", as.password("bob")))).isEqualTo("302 /");
    }

    @Test
    @DisplayName("05.0 login: 20 failures from one address over many accounts make carol wait there too")
    void loginThrottlePerAddress() throws Exception {
        for (int i = 0; i < 19; i++) {
            assertThat(outcome(login("user" + i, "wrong"))).isEqualTo("302 /login?error");
        }
        assertThat(outcome(login("carol", as.password("carol")))).isEqualTo("302 /");
        assertThat(outcome(login("user19", "wrong"))).isEqualTo("302 /login?error");
        assertThat(outcome(login("carol", as.password("carol")))).isEqualTo("429 Retry-After 1");
        clock.advance(Duration.ofSeconds(1));
        assertThat(outcome(login("carol", as.password("carol")))).isEqualTo("302 /");
    }

    @Test
    @DisplayName("05.0 login: an unknown user is refused as fast as a wrong password, so timing lists no user names")
    void unknownUserTakesAsLongAsAWrongPassword() throws Exception {
        // Spring checks an unknown name against a dummy hash to hide that the name is unknown. Made with another
        // cost than the users' hashes (bcrypt's default 10 against 4, 64 times the work), it would name the users.
        // Five of each, one of each first to warm up: under both throttles (5 a name, 20 an address).
        List<Long> known = new ArrayList<>();
        List<Long> unknown = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            known.add(timedLogin("bob", "wrong-" + i));
            unknown.add(timedLogin("nobody-" + i, "wrong-" + i));
        }
        long knownMedian = median(known.subList(1, 5));
        long unknownMedian = median(unknown.subList(1, 5));
        assertThat(unknownMedian).as("median ms of an unknown user's login (known user, wrong password: %d ms)",
                knownMedian).isLessThanOrEqualTo(3 * knownMedian + 10);
        assertThat(knownMedian).as("median ms of a wrong password (unknown user: %d ms)", unknownMedian)
                .isLessThanOrEqualTo(3 * unknownMedian + 10);
    }

    @Test
    @DisplayName("05.0 unknown /.well-known/* paths are 404, not the login page; the metadata still answers")
    void unknownWellKnown() throws Exception {
        for (String path : List.of("/.well-known/oauth-authorization-server/mcp", "/.well-known/openid-configuration/x",
                "/.well-known/oauth-protected-resource", "/.well-known/unknown")) {
            HttpResponse<String> answer = send(HttpRequest.newBuilder(as.issuer().resolve(path))
                    .header("Accept", "text/html").build());
            assertThat(answer.statusCode()).as(path).isEqualTo(404);
        }
        for (String path : List.of("/.well-known/oauth-authorization-server", "/.well-known/openid-configuration")) {
            HttpResponse<String> answer = send(HttpRequest.newBuilder(as.issuer().resolve(path)).build());
            assertThat(answer.statusCode()).as(path).isEqualTo(200);
            assertThat(answer.body()).contains("\"issuer\":\"" + as.issuer() + "\"");
        }
    }

    @Test
    @DisplayName("05.0 the token endpoint without client authentication is 401 invalid_client JSON, for Accept */* too")
    void tokenEndpointWithoutClient() throws Exception {
        String clientId = clientId(register(NAME + "}"));
        HttpResponse<String> anonymous = send(post("/oauth2/token", "application/x-www-form-urlencoded",
                "grant_type=authorization_code&code=abc&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb")
                .header("Accept", "*/*").build());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/json"));
        assertThat(anonymous.body()).contains("\"error\":\"invalid_client\"");
        HttpResponse<String> publicClient = send(post("/oauth2/token", "application/x-www-form-urlencoded",
                "grant_type=authorization_code&code=abc&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&client_id="
                        + clientId + "&code_verifier=" + "v".repeat(43)).header("Accept", "*/*").build());
        assertThat(publicClient.statusCode()).as("a public client's request reaches the grant check").isEqualTo(400);
        assertThat(publicClient.body()).contains("\"error\":\"invalid_grant\"");
    }

    // ---- helpers --------------------------------------------------------------------------

    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpRequest.Builder post(String path, String contentType, String body) {
        return HttpRequest.newBuilder(as.issuer().resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A registration over a raw socket: the request line, {@code headers} and {@code body}, written at once, so the
     * server's early 413 never races a client still writing (which can end in a broken pipe instead of an answer).
     * The status line, the headers and the body, as text.
     */
    private static String rawRegistration(String headers, byte[] body) throws Exception {
        try (Socket socket = new Socket(as.issuer().getHost(), as.issuer().getPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(concat(("POST /oauth2/register HTTP/1.1\r\nHost: " + as.issuer().getAuthority()
                    + "\r\nContent-Type: application/json\r\n" + headers + "\r\n").getBytes(StandardCharsets.US_ASCII), body));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder answer = new StringBuilder();
            int length = 0;
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                answer.append(line).append('\n');
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            char[] content = new char[length];
            for (int read = 0; read < length; ) {
                int n = in.read(content, read, length - read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
            return answer.append('\n').append(content).toString();
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    private static HttpResponse<String> register(String json) throws Exception {
        return send(post("/oauth2/register", "application/json", json).build());
    }

    private static String redirectUris(int count) {
        return IntStream.range(0, count).mapToObj(i -> "\"http://127.0.0.1:" + (1000 + i) + "/cb\"")
                .collect(Collectors.joining(",", "{\"token_endpoint_auth_method\":\"none\",\"redirect_uris\":[", "]}"));
    }

    private static String clientId(HttpResponse<String> registration) {
        assertThat(registration.statusCode()).as(registration.body()).isEqualTo(201);
        Matcher id = Pattern.compile("\"client_id\":\"([^\"]+)\"").matcher(registration.body());
        assertThat(id.find()).isTrue();
        return id.group(1);
    }

    private static RegisteredClient client(String clientId) {
        return RegisteredClient.withId(UUID.randomUUID().toString()).clientId(clientId)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE).redirectUri("http://127.0.0.1/cb")
                .build();
    }

    private static HttpResponse<String> authorize(String clientId, String redirectUri) throws Exception {
        String query = "response_type=code&client_id=" + clientId + "&scope=orders.read&code_challenge_method=S256"
                + "&code_challenge=" + "c".repeat(43) + "&resource=" + URLEncoder.encode(RESOURCE, StandardCharsets.UTF_8)
                + "&redirect_uri=" + URLEncoder.encode(redirectUri, StandardCharsets.UTF_8);
        return send(HttpRequest.newBuilder(as.issuer().resolve("/oauth2/authorize?" + query))
                .header("Accept", "text/html").build());
    }

    /** A person at the login form: the page (its session cookie and CSRF field), then the POST. */
    private static HttpResponse<String> login(String username, String password) throws Exception {
        return send(loginForm(username, password));
    }

    /** The milliseconds the login form's POST takes; it must be refused. */
    private static long timedLogin(String username, String password) throws Exception {
        HttpRequest form = loginForm(username, password);
        long start = System.nanoTime();
        HttpResponse<String> response = send(form);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(outcome(response)).as("login of %s", username).isEqualTo("302 /login?error");
        return millis;
    }

    /** The login form's POST, with the session cookie and CSRF field of a login page fetched for it. */
    private static HttpRequest loginForm(String username, String password) throws Exception {
        HttpResponse<String> page = send(HttpRequest.newBuilder(as.issuer().resolve("/login")).build());
        Matcher csrf = CSRF.matcher(page.body());
        assertThat(csrf.find()).as("the login page's CSRF field").isTrue();
        String session = page.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("AS_SESSION="))
                .map(c -> c.split(";", 2)[0]).findFirst().orElseThrow();
        String form = "username=" + URLEncoder.encode(username, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&_csrf=" + csrf.group(1);
        return post("/login", "application/x-www-form-urlencoded", form).header("Cookie", session).build();
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return (sorted.get((sorted.size() - 1) / 2) + sorted.get(sorted.size() / 2)) / 2;
    }

    private static String outcome(HttpResponse<String> response) {
        if (response.statusCode() == 429) {
            return "429 Retry-After " + response.headers().firstValue("Retry-After").orElse("(none)");
        }
        String location = response.headers().firstValue("Location").orElse("(none)");
        return response.statusCode() + " " + location.replace(as.issuer().toString(), "");
    }
}
