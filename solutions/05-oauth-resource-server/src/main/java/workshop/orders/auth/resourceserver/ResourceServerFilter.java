package workshop.orders.auth.resourceserver;

import io.modelcontextprotocol.json.McpJsonDefaults;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import workshop.orders.auth.BearerToken;
import workshop.orders.auth.permissions.Caller;
import workshop.orders.auth.pertool.FeaturePermissions;
import workshop.orders.auth.pertool.FeaturePermissions.Feature;
import workshop.orders.auth.pertool.OrderOwnership;
import workshop.orders.http.BearerChallenge;
import workshop.orders.http.HttpErrors;
import workshop.orders.http.ReplayedBody;

/**
 * Step 05: {@code /mcp} as an OAuth 2.1 resource server (MCP authorization, 2025-11-25). Every request needs an
 * access token of the authorization server, verified by a {@link TokenVerifier}; each refusal points the client
 * to this server's metadata, so it can find where to get one:
 * <ul>
 * <li>no Bearer token: 401,
 * {@code WWW-Authenticate: Bearer realm="mcp", resource_metadata="...", scope="orders.read"};</li>
 * <li>a token that does not verify: the same, plus {@code error="invalid_token"} and a fixed description;</li>
 * <li>a malformed {@code Authorization}: 400 {@code invalid_request};</li>
 * <li>a valid token, and a {@code tools/call}, {@code resources/read} or {@code prompts/get} whose row in
 * {@link FeaturePermissions} needs a scope the token lacks: 403, {@code error="insufficient_scope"} with every
 * scope the call needs plus those the token has, so the client can ask for them all at once (step-up). A
 * {@code cancel_order} by a caller {@link OrderOwnership} may let cancel the orders they placed passes here: the
 * guard inside the server decides which order;</li>
 * <li>a {@code cancel_order} whose token's login is not recent ({@link RecentLogin}): 401,
 * {@code error="insufficient_user_authentication"} with {@code max_age} (RFC 9470), so the client sends the user to
 * log in again.</li>
 * </ul>
 * The last checks read the JSON-RPC body here, before the SDK does, and hand a re-readable copy on;
 * {@code FeatureGuard} inside the server stays the second line. The token goes no further than this filter: the
 * MCP handlers get the {@link Caller}, and nothing is forwarded anywhere with it.
 */
public final class ResourceServerFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    /** The same limit as the MCP servlet's: a larger body is refused here, before it is parsed. */
    static final int MAX_BODY_BYTES = 1024 * 1024;
    private static final Logger log = LoggerFactory.getLogger(ResourceServerFilter.class);

    private final transient TokenVerifier verifier;
    private final transient FeaturePermissions permissions;
    private final transient OrderOwnership ownership;
    private final transient RecentLogin recentLogin;
    private final transient SessionOwners sessions = new SessionOwners();
    /** Where every challenge sends the client: this server's metadata. */
    private final String metadataUrl;
    /** What a client is told it needs to start with: the first scope, that of the reading features. */
    private final String baseScope;

    /**
     * @param resource    this server's canonical URL and metadata
     * @param verifier    checks each access token
     * @param permissions the per-feature table, in scopes: the 403 step-up
     * @param ownership   who may cancel the orders they placed, which the table cannot say
     * @param clock       the server's time, against which a login's recency is judged
     */
    public ResourceServerFilter(ProtectedResource resource, TokenVerifier verifier, FeaturePermissions permissions,
            OrderOwnership ownership, Clock clock) {
        this.verifier = verifier;
        this.permissions = permissions;
        this.ownership = ownership;
        this.recentLogin = new RecentLogin(clock);
        this.metadataUrl = ProtectedResource.metadataUrl(resource.resource()).toString();
        this.baseScope = resource.scopes().get(0);
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Optional<AccessTokenVerifier.Verified> authenticated = authenticate(request, response);
        if (authenticated.isEmpty()) {
            return;
        }
        AccessTokenVerifier.Verified verified = authenticated.get();
        Caller caller = new Caller(verified.subject(), verified.subject(), verified.scopes());
        request.setAttribute(Caller.KEY, caller);
        HttpServletRequest passedOn = request;
        if ("POST".equals(request.getMethod())) {
            ReplayedBody body = ReplayedBody.read(request, MAX_BODY_BYTES);
            if (body.head().length > MAX_BODY_BYTES) {
                HttpErrors.json(response, 413, "payload_too_large", "The body is larger than " + MAX_BODY_BYTES
                        + " bytes");
                return;
            }
            // Read and parsed once for every filter, as UTF-8, the only charset a body reaches the SDK in.
            Optional<Feature> feature = FeatureOfMessage.of(McpJsonDefaults.getMapper(),
                    ReplayedBody.jsonObject(request, body.head()));
            if (feature.isPresent() && lacksScope(caller, feature.get())) {
                insufficientScope(request, response, caller, feature.get());
                return;
            }
            if (feature.isPresent() && recentLogin.covers(feature.get())
                    && !recentLogin.isRecent(verified.authTime())) {
                loginTooOld(request, response, caller, feature.get());
                return;
            }
            passedOn = body;
        }
        log.debug("{} {} by {}", request.getMethod(), request.getRequestURI(), caller.subject());
        sessions.forward(passedOn, response, chain, caller.subject()); // binds the session to the caller
    }

    /**
     * The verified access token of the request; empty when it is refused, and the refusal is answered: 401 without
     * a token or with one that does not verify, 400 for a malformed {@code Authorization}, 503 while the
     * authorization server's keys cannot be fetched.
     */
    private Optional<AccessTokenVerifier.Verified> authenticate(HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        BearerToken bearer = BearerToken.from(request);
        if (bearer.kind() == BearerToken.Kind.ABSENT) {
            log.info("Refused {} {}: {}", request.getMethod(), request.getRequestURI(), bearer.problem());
            HttpErrors.challenge(response, 401, BearerChallenge.bearer().with("resource_metadata", metadataUrl)
                    .with("scope", baseScope), "unauthorized", "Get an access token from the authorization server"
                    + " named in " + metadataUrl);
            return Optional.empty();
        }
        if (bearer.kind() == BearerToken.Kind.MALFORMED) {
            log.info("Refused {} {}: {}", request.getMethod(), request.getRequestURI(), bearer.problem());
            HttpErrors.challenge(response, 400, BearerChallenge.bearer().with("error", "invalid_request")
                    .with("error_description", bearer.problem()).with("resource_metadata", metadataUrl),
                    "invalid_request", bearer.problem());
            return Optional.empty();
        }
        try {
            return Optional.of(verifier.verify(bearer.token()));
        } catch (AccessTokenVerifier.InvalidTokenException invalid) {
            log.info("Refused {} {}: {}", request.getMethod(), request.getRequestURI(), invalid.getMessage());
            HttpErrors.challenge(response, 401, BearerChallenge.bearer().with("resource_metadata", metadataUrl)
                    .with("scope", baseScope).with("error", "invalid_token")
                    .with("error_description", invalid.getMessage()), "invalid_token", invalid.getMessage());
        } catch (IssuerKeys.UnavailableException unavailable) {
            log.warn("Cannot verify an access token now: {}", unavailable.getMessage());
            unavailable(response, "The authorization server's keys cannot be fetched now");
        }
        return Optional.empty();
    }

    /**
     * True when the token's scopes cannot allow the call: none of its row's, and not the scope with which the
     * ownership rule lets a caller cancel the orders they placed. A feature without a row passes here: FeatureGuard
     * refuses it to everyone, and the SDK may not know it.
     */
    private boolean lacksScope(Caller caller, Feature feature) {
        List<String> anyOf = permissions.required(feature);
        return !anyOf.isEmpty() && anyOf.stream().noneMatch(caller::has)
                && !(ownership.covers(feature) && ownership.mayCall(caller));
    }

    private void insufficientScope(HttpServletRequest request, HttpServletResponse response, Caller caller,
            Feature feature) throws IOException {
        String needed = permissions.required(feature).get(0);
        Set<String> ask = new LinkedHashSet<>();
        ask.add(needed);
        ask.addAll(caller.permissions());
        log.info("Refused {} {}: {} lacks {} for {}", request.getMethod(), request.getRequestURI(), caller.subject(),
                needed, feature);
        HttpErrors.challenge(response, 403, BearerChallenge.bearer().with("error", "insufficient_scope")
                .with("scope", String.join(" ", ask)).with("resource_metadata", metadataUrl), "insufficient_scope",
                feature + " needs the scope " + needed + ", which the access token does not grant");
    }

    /** RFC 9470 §3: 401, the login is too old for this call; the client logs the user in again and retries. */
    private void loginTooOld(HttpServletRequest request, HttpServletResponse response, Caller caller,
            Feature feature) throws IOException {
        String needs = recentLogin.needs(feature);
        log.info("Refused {} {}: {} for {}, and the login of {} is older or unknown", request.getMethod(),
                request.getRequestURI(), needs, feature, caller.subject());
        HttpErrors.challenge(response, 401, BearerChallenge.bearer().with("error", "insufficient_user_authentication")
                .with("error_description", needs).with("max_age", String.valueOf(recentLogin.maxAge().toSeconds()))
                .with("resource_metadata", metadataUrl), "insufficient_user_authentication", needs);
    }

    private static void unavailable(HttpServletResponse response, String description) throws IOException {
        response.setHeader("Retry-After", "1");
        HttpErrors.json(response, 503, "temporarily_unavailable", description);
    }
}
