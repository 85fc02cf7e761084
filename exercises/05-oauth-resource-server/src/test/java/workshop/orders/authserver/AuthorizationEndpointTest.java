package workshop.orders.authserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.orders.client.AuthorizationCodeFlow;
import workshop.orders.demo.DemoClock;
import workshop.orders.support.TestStack;

/**
 * The authorization endpoint as a browser meets it, with a cookie jar kept across requests as a real browser keeps
 * its login session: fresh logins on request ({@code prompt=login}, {@code max_age}) on a clock the test moves,
 * {@code iss} on every redirect to the client (RFC 9207), {@code resource} required, and metadata that lists only
 * what a registered client can use; and the given client's part, {@code max_age} from the 401's challenge. All of
 * it is given code: these tests pass before any task is done.
 */
@DisplayName("05.0 The given authorization server: fresh logins, iss on every redirect, honest metadata")
@SuppressWarnings("unchecked")
class AuthorizationEndpointTest {

    private static final String REDIRECT_URI = "http://127.0.0.1/callback";
    private static final URI RESOURCE = URI.create("http://127.0.0.1:8080/mcp");
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"");

    private static final DemoClock clock = DemoClock.followingSystem();
    private static AuthServer as;
    private static String clientId;

    @BeforeAll
    static void start() throws Exception {
        as = AuthServer.start(0, Map.of(), clock);
        AuthServer.users().keySet().forEach(user -> TestStack.PASSWORDS.add(as.password(user)));
        as.resource(RESOURCE);
        HttpResponse<String> registered = Browser.HTTP.send(HttpRequest.newBuilder(as.issuer().resolve("/oauth2/register"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"redirect_uris\":[\"" + REDIRECT_URI + "\"],\"token_endpoint_auth_method\":\"none\","
                                + "\"grant_types\":[\"authorization_code\"],\"response_types\":[\"code\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        clientId = (String) json(registered.body()).get("client_id");
    }

    @AfterAll
    static void stop() throws Exception {
        as.close();
    }

    @Test
    @DisplayName("05.0 both metadata documents list only what a public client can use, and iss in responses")
    void metadata() throws Exception {
        for (String path : List.of("/.well-known/oauth-authorization-server", "/.well-known/openid-configuration")) {
            Map<String, Object> metadata = json(Browser.HTTP.send(HttpRequest.newBuilder(as.issuer().resolve(path))
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(metadata).as(path)
                    .containsEntry("grant_types_supported", List.of("authorization_code"))
                    .containsEntry("token_endpoint_auth_methods_supported", List.of("none"))
                    .containsEntry("code_challenge_methods_supported", List.of("S256"))
                    .containsEntry("response_types_supported", List.of("code"))
                    .containsEntry("authorization_response_iss_parameter_supported", true)
                    .doesNotContainKeys("revocation_endpoint", "introspection_endpoint",
                            "tls_client_certificate_bound_access_tokens", "dpop_signing_alg_values_supported",
                            "device_authorization_endpoint", "pushed_authorization_request_endpoint");
            assertThat((List<String>) metadata.get("scopes_supported")).contains("orders.read", "orders.write",
                    "orders.cancel");
        }
        // grant_types_supported names no refresh_token because a public client is issued none
        Browser bob = new Browser();
        Map<String, Object> tokens = bob.tokens(bob.loginAt(bob.authorize("orders.read", Map.of()), "bob"));
        assertThat(tokens).containsKey("access_token").containsEntry("scope", "orders.read")
                .doesNotContainKey("refresh_token");
    }

    @Test
    @DisplayName("05.0 RFC 9207: the code and each error redirected to the client carry iss and state")
    void issuerInEveryAuthorizationResponse() throws Exception {
        Browser alice = new Browser();
        Map<String, String> code = query(alice.loginAt(alice.authorize("orders.read", Map.of()), "alice"));
        assertThat(code).containsKey("code").containsEntry("iss", as.issuer().toString())
                .containsEntry("state", alice.state);
        Map<String, String> noPkce = query(alice.authorize("orders.read", Map.of("code_challenge", "")));
        assertThat(noPkce).containsEntry("error", "invalid_request").containsEntry("iss", as.issuer().toString())
                .containsEntry("state", alice.state).doesNotContainKey("code");
        Map<String, String> otherResource = query(alice.authorize("orders.read", Map.of("resource", "http://127.0.0.1:1/mcp")));
        assertThat(otherResource).containsEntry("error", "invalid_target").containsEntry("iss", as.issuer().toString());
        HttpResponse<String> unknownClient = alice.get(alice.authorizationUri("orders.read", Map.of("client_id", "nobody")));
        assertThat(unknownClient.statusCode()).isEqualTo(400);
        assertThat(unknownClient.headers().firstValue("Location")).isEmpty();
    }

    @Test
    @DisplayName("05.0 an authorization request without resource gets invalid_target; with it, a code")
    void resourceRequired() throws Exception {
        Browser carol = new Browser();
        URI loggedIn = carol.loginAt(carol.authorize("orders.read", Map.of()), "carol");
        assertThat(query(loggedIn)).containsKey("code");
        Map<String, String> without = query(carol.authorize("orders.read", Map.of("resource", "")));
        assertThat(without).containsEntry("error", "invalid_target").containsEntry("iss", as.issuer().toString())
                .doesNotContainKey("code");
        assertThat(query(carol.authorize("orders.read", Map.of()))).containsKey("code");
    }

    @Test
    @DisplayName("05.0 scopes of which the user may have none get invalid_scope, not an empty grant")
    void scopeNoneGrantable() throws Exception {
        Browser carol = new Browser();
        URI first = carol.loginAt(carol.authorize("orders.read orders.cancel", Map.of()), "carol");
        assertThat(carol.tokens(first)).containsEntry("scope", "orders.read");
        Map<String, String> refused = query(carol.authorize("orders.cancel", Map.of()));
        assertThat(refused).containsEntry("error", "invalid_scope").containsEntry("iss", as.issuer().toString())
                .doesNotContainKey("code");
    }

    @Test
    @DisplayName("05.0 prompt=login shows the login form again; the new login's auth_time is in the token")
    void promptLogin() throws Exception {
        Browser alice = new Browser();
        long firstLogin = clock.instant().getEpochSecond();
        Map<String, Object> first = alice.accessToken(alice.loginAt(alice.authorize("orders.read", Map.of()), "alice"));
        assertThat(((Number) first.get("auth_time")).longValue()).isBetween(firstLogin, firstLogin + 1);
        clock.advance(Duration.ofMinutes(10));

        URI plain = alice.authorize("orders.read", Map.of());
        assertThat(query(plain)).as("still logged in: a code at once").containsKey("code");
        assertThat(alice.accessToken(plain).get("auth_time")).as("the old login's time").isEqualTo(first.get("auth_time"));

        URI again = alice.authorize("orders.read", Map.of("prompt", "login"));
        assertThat(again.getPath()).as("prompt=login: the login form, not a code").isEqualTo("/login");
        long secondLogin = clock.instant().getEpochSecond();
        URI afterLogin = alice.loginAt(again, "alice");
        Map<String, Object> fresh = alice.accessToken(afterLogin);
        assertThat(((Number) fresh.get("auth_time")).longValue()).isBetween(secondLogin, secondLogin + 1);
        assertThat(query(alice.authorize("orders.read", Map.of()))).as("no loop: the next request gets a code")
                .containsKey("code");
        assertThat(alice.authorize("orders.read", Map.of("prompt", "login")).getPath())
                .as("a later prompt=login asks again").isEqualTo("/login");
    }

    @Test
    @DisplayName("05.0 max_age: a login older than max_age shows the login form, a younger one gets a code")
    void maxAge() throws Exception {
        Browser bob = new Browser();
        Instant loggedIn = clock.instant();
        bob.loginAt(bob.authorize("orders.read", Map.of()), "bob");
        clock.advance(Duration.ofSeconds(200));
        URI young = bob.authorize("orders.read", Map.of("max_age", "300"));
        assertThat(query(young)).as("200 s old, max_age 300: a code").containsKey("code");
        assertThat(((Number) bob.accessToken(young).get("auth_time")).longValue())
                .isBetween(loggedIn.getEpochSecond(), loggedIn.getEpochSecond() + 1);
        clock.advance(Duration.ofSeconds(101));
        URI old = bob.authorize("orders.read", Map.of("max_age", "300"));
        assertThat(old.getPath()).as("301 s old, max_age 300: the login form").isEqualTo("/login");
        long again = clock.instant().getEpochSecond();
        Map<String, Object> fresh = bob.accessToken(bob.loginAt(old, "bob"));
        assertThat(((Number) fresh.get("auth_time")).longValue()).isBetween(again, again + 1);
        assertThat(bob.authorize("orders.read", Map.of("max_age", "0")).getPath()).isEqualTo("/login");
        assertThat(query(bob.authorize("orders.read", Map.of("max_age", "soon"))))
                .containsEntry("error", "invalid_request").containsEntry("iss", as.issuer().toString());
    }

    @Test
    @DisplayName("05.0 the client re-authorizes with the 401's max_age: a kept login is not reused, no loop")
    void clientSendsMaxAge() throws Exception {
        AuthorizationCodeFlow.ServerMetadata server = AuthorizationCodeFlow.serverMetadata(as.issuer());
        String client = AuthorizationCodeFlow.register(server);
        AuthorizationCodeFlow.Browser browser = new AuthorizationCodeFlow.Browser();
        String scope = "orders.read orders.cancel";
        long loggedIn = clock.instant().getEpochSecond();
        AuthorizationCodeFlow.Granted first = AuthorizationCodeFlow.authorize(server, client, RESOURCE, scope, "alice",
                as.password("alice"), browser, Map.of());
        assertThat(authTime(first)).isBetween(loggedIn, loggedIn + 1);
        clock.advance(Duration.ofMinutes(6));
        // Without max_age the kept login answers at once (no form: the wrong password is never sent) with the old
        // auth_time: the desk would refuse the cancel again, and again.
        AuthorizationCodeFlow.Granted same = AuthorizationCodeFlow.authorize(server, client, RESOURCE, scope, "alice",
                "not-her-password", browser, Map.of());
        assertThat(authTime(same)).isEqualTo(authTime(first));
        String challenge = "Bearer realm=\"mcp\", error=\"insufficient_user_authentication\", error_description="
                + "\"cancel_order needs a login within the last 300 seconds\", max_age=\"300\", resource_metadata="
                + "\"http://127.0.0.1:8080/.well-known/oauth-protected-resource/mcp\"";
        assertThatThrownBy(() -> AuthorizationCodeFlow.reauthorize(server, client, RESOURCE, scope, challenge, "alice",
                "not-her-password", browser)).as("max_age=300 sent: the login form is shown")
                .hasMessage("the authorization server refused the login of alice");
        long again = clock.instant().getEpochSecond();
        AuthorizationCodeFlow.Granted fresh = AuthorizationCodeFlow.reauthorize(server, client, RESOURCE, scope,
                challenge, "alice", as.password("alice"), browser);
        assertThat(authTime(fresh)).isBetween(again, again + 1);
    }

    private static long authTime(AuthorizationCodeFlow.Granted granted) throws Exception {
        String payload = granted.accessToken().split("\\.")[1];
        return ((Number) json(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8))
                .get("auth_time")).longValue();
    }

    // ---- a browser with its cookie jar, and the client's side of the flow --------------------------------------

    private static final class Browser {
        static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
        final String state = UUID.randomUUID().toString();
        final String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();

        URI authorizationUri(String scope, Map<String, String> overrides) throws Exception {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("response_type", "code");
            query.put("client_id", clientId);
            query.put("redirect_uri", REDIRECT_URI);
            query.put("scope", scope);
            query.put("state", state);
            query.put("code_challenge", Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII))));
            query.put("code_challenge_method", "S256");
            query.put("resource", RESOURCE.toString());
            query.putAll(overrides);
            query.values().removeIf(String::isEmpty);
            return URI.create(as.issuer() + "/oauth2/authorize?" + form(query));
        }

        /** GET /oauth2/authorize: where it redirects (the client with a code or an error, or /login). */
        URI authorize(String scope, Map<String, String> overrides) throws Exception {
            return redirect(get(authorizationUri(scope, overrides)));
        }

        /** At /login: fills in the form and follows the way back to the authorization request; where that redirects. */
        URI loginAt(URI login, String user) throws Exception {
            assertThat(login.getPath()).as("the login form").isEqualTo("/login");
            Matcher csrf = CSRF.matcher(get(as.issuer().resolve(login)).body());
            assertThat(csrf.find()).as("the login page has a form").isTrue();
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("username", user);
            fields.put("password", as.password(user));
            fields.put("_csrf", csrf.group(1));
            URI back = redirect(http.send(HttpRequest.newBuilder(as.issuer().resolve("/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form(fields))).build(), HttpResponse.BodyHandlers.ofString()));
            assertThat(back.getPath()).as("logged in, back to the authorization request").isEqualTo("/oauth2/authorize");
            return redirect(get(as.issuer().resolve(back)));
        }

        /** The token response for the code in a redirect to the client. */
        Map<String, Object> tokens(URI toClient) throws Exception {
            Map<String, String> answer = query(toClient);
            assertThat(answer).as("a code for the client").containsKey("code");
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("grant_type", "authorization_code");
            fields.put("client_id", clientId);
            fields.put("code", answer.get("code"));
            fields.put("redirect_uri", REDIRECT_URI);
            fields.put("code_verifier", verifier);
            fields.put("resource", RESOURCE.toString());
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(as.issuer().resolve("/oauth2/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form(fields))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return json(response.body());
        }

        /** The claims of the access token for the code in a redirect; its header must say typ at+jwt (RFC 9068). */
        Map<String, Object> accessToken(URI toClient) throws Exception {
            String[] parts = ((String) tokens(toClient).get("access_token")).split("\\.");
            assertThat(json(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8)))
                    .containsEntry("typ", "at+jwt").containsEntry("alg", "RS256");
            return json(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        }

        HttpResponse<String> get(URI uri) throws Exception {
            return http.send(HttpRequest.newBuilder(uri).header("Accept", "text/html").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        private static URI redirect(HttpResponse<String> response) {
            assertThat(response.statusCode()).as("a redirect from " + response.request().uri().getPath()).isEqualTo(302);
            return URI.create(response.headers().firstValue("Location").orElseThrow());
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int equals = pair.indexOf('=');
                parameters.put(pair.substring(0, Math.max(equals, 0)),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return parameters;
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(field -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private static Map<String, Object> json(String body) throws Exception {
        return McpJsonDefaults.getMapper().readValue(body, new TypeRef<Map<String, Object>>() {
        });
    }
}
