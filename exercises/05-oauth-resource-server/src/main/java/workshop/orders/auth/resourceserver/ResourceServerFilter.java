package workshop.orders.auth.resourceserver;

import io.modelcontextprotocol.json.McpJsonDefaults;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
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
 * <li>a {@code cancel_order} whose token's login is not recent (the rule of its own, {@link RecentLogin}): 401,
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
    /** The server's time: how old a login is, for the rule of its own (05.5). */
    private final transient Clock clock;
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
        this.clock = clock;
        this.metadataUrl = ProtectedResource.metadataUrl(resource.resource()).toString();
        this.baseScope = resource.scopes().get(0);
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Optional<AccessTokenVerifier.Verified> authenticated = authenticate(request, response, chain);
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
            // TODO(05.4): a call whose row in the table needs a scope the token lacks is answered 403
            //  insufficient_scope (insufficientScope) and goes no further; bob's cancel_order with orders.write
            //  is not one of them (exercise 04's ownership rule: the guard decides which order).
            passedOn = body;
        }
        log.debug("{} {} by {}", request.getMethod(), request.getRequestURI(), caller.subject());
        sessions.forward(passedOn, response, chain, caller.subject()); // binds the session to the caller
    }

    /**
     * The verified access token of the request; empty when it is refused, and the refusal is answered: 401 without
     * a token or with one that does not verify, 400 for a malformed {@code Authorization}, 503 while the
     * authorization server's keys cannot be fetched. (The starting point passes what it cannot refuse yet on to
     * {@code chain}, without a caller, and answers empty too.)
     */
    private Optional<AccessTokenVerifier.Verified> authenticate(HttpServletRequest request,
            HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        BearerToken bearer = BearerToken.from(request);
        if (bearer.kind() == BearerToken.Kind.ABSENT) {
            // TODO(05.2): a request without a Bearer token is answered 401, WWW-Authenticate: Bearer realm="mcp",
            //  resource_metadata="<metadataUrl>", scope="<baseScope>", JSON error "unauthorized", and goes no
            //  further: no session is touched, no tool runs.
            chain.doFilter(request, response); // the starting point lets it through, without a caller
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
            // TODO(05.2): a token the verifier refuses is answered 401, WWW-Authenticate: Bearer realm="mcp",
            //  resource_metadata="<metadataUrl>", scope="<baseScope>", error="invalid_token", error_description="<the
            //  verifier's sentence>", JSON error "invalid_token" with the same description, and goes no further.
            chain.doFilter(request, response); // the starting point lets it through, without a caller
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
        // TODO(05.4): true for a call the token's scopes cannot allow: carol's place_order (orders.read only), a
        //  token without orders.read reading the resource; false for bob's cancel_order with orders.write (he may
        //  cancel the orders he placed: the guard decides which) and for a feature without a row (the guard
        //  refuses it to everyone).
        throw new UnsupportedOperationException("TODO(05.4): does the token lack the feature's scope?");
    }

    private void insufficientScope(HttpServletRequest request, HttpServletResponse response, Caller caller,
            Feature feature) throws IOException {
        // TODO(05.4): 403, WWW-Authenticate: Bearer realm="mcp", error="insufficient_scope", scope="<the row's
        //  first scope> <the token's scopes>", resource_metadata="<metadataUrl>", JSON error "insufficient_scope"
        //  with "<feature> needs the scope <scope>, which the access token does not grant".
        throw new UnsupportedOperationException("TODO(05.4): refuse with 403 insufficient_scope");
    }

    private static void unavailable(HttpServletResponse response, String description) throws IOException {
        response.setHeader("Retry-After", "1");
        HttpErrors.json(response, 503, "temporarily_unavailable", description);
    }
}
