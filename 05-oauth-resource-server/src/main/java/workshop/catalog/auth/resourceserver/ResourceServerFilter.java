package workshop.catalog.auth.resourceserver;

import io.modelcontextprotocol.json.McpJsonDefaults;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import workshop.catalog.auth.BearerToken;
import workshop.catalog.auth.permissions.Caller;
import workshop.catalog.auth.pertool.FeaturePermissions;
import workshop.catalog.auth.pertool.FeaturePermissions.Feature;
import workshop.catalog.http.HttpErrors;
import workshop.catalog.http.ReplayedBody;

/**
 * Step 05: {@code /mcp} as an OAuth 2.1 resource server (MCP authorization, 2025-11-25). Every request needs an
 * access token of the authorization server, verified by {@link AccessTokenVerifier}; each refusal points the client
 * to this server's metadata, so it can find where to get one:
 * <ul>
 * <li>no Bearer token: 401, {@code WWW-Authenticate: Bearer resource_metadata="...", scope="catalog.read"};</li>
 * <li>a token that does not verify: the same, plus {@code error="invalid_token"} and a fixed description;</li>
 * <li>a malformed {@code Authorization}: 400 {@code invalid_request};</li>
 * <li>a valid token, and a {@code tools/call}, {@code resources/read} or {@code prompts/get} whose row in
 * {@link FeaturePermissions} needs a scope the token lacks: 403, {@code error="insufficient_scope"} with every
 * scope the call needs plus those the token has, so the client can ask for them all at once (step-up).</li>
 * </ul>
 * The last check reads the JSON-RPC body here, before the SDK does, and hands a re-readable copy on;
 * {@code FeatureGuard} inside the server stays the second line. The token goes no further than this filter: the
 * MCP handlers get the {@link Caller}, and nothing is forwarded anywhere with it.
 */
public final class ResourceServerFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    /** The same limit as the MCP servlet's: a larger body is refused here, before it is parsed. */
    static final int MAX_BODY_BYTES = 1024 * 1024;
    private static final Logger log = LoggerFactory.getLogger(ResourceServerFilter.class);

    private final transient ProtectedResource resource;
    private final transient AccessTokenVerifier verifier;
    private final transient FeaturePermissions permissions;
    private final transient SessionOwners sessions = new SessionOwners();
    /** What a client is told it needs to start with: the scope of the reading features. */
    private final String baseScope;

    public ResourceServerFilter(ProtectedResource resource, AccessTokenVerifier verifier,
            FeaturePermissions permissions, String baseScope) {
        this.resource = resource;
        this.verifier = verifier;
        this.permissions = permissions;
        this.baseScope = baseScope;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Optional<URI> self = resource.resource();
        if (self.isEmpty()) {
            unavailable(response, "The server is starting");
            return;
        }
        String metadata = ProtectedResource.metadataUrl(self.get()).toString();
        BearerToken bearer = BearerToken.from(request);
        switch (bearer.kind()) {
            case ABSENT -> {
                log.info("Refused {} {}: {}", request.getMethod(), request.getRequestURI(), bearer.problem());
                response.setHeader("WWW-Authenticate", "Bearer resource_metadata=\"" + metadata + "\", scope=\""
                        + baseScope + "\"");
                HttpErrors.json(response, 401, "unauthorized", "Get an access token from the authorization server"
                        + " named in " + metadata);
            }
            case MALFORMED -> {
                log.info("Refused {} {}: {}", request.getMethod(), request.getRequestURI(), bearer.problem());
                response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_request\", error_description=\""
                        + bearer.problem() + "\", resource_metadata=\"" + metadata + "\"");
                HttpErrors.json(response, 400, "invalid_request", bearer.problem());
            }
            case PRESENT -> verified(request, response, chain, bearer.token(), metadata);
        }
    }

    private void verified(HttpServletRequest request, HttpServletResponse response, FilterChain chain, String token,
            String metadata) throws IOException, ServletException {
        AccessTokenVerifier.Verified verified;
        try {
            verified = verifier.verify(token);
        } catch (AccessTokenVerifier.InvalidTokenException invalid) {
            log.info("Refused {} {}: {}", request.getMethod(), request.getRequestURI(), invalid.getMessage());
            response.setHeader("WWW-Authenticate", "Bearer resource_metadata=\"" + metadata + "\", scope=\""
                    + baseScope + "\", error=\"invalid_token\", error_description=\"" + invalid.getMessage() + "\"");
            HttpErrors.json(response, 401, "invalid_token", invalid.getMessage());
            return;
        } catch (IssuerKeys.UnavailableException unavailable) {
            log.warn("Cannot verify an access token now: {}", unavailable.getMessage());
            unavailable(response, "The authorization server's keys cannot be fetched now");
            return;
        }
        Caller caller = new Caller(verified.subject(), verified.subject(), verified.scopes());
        request.setAttribute(Caller.KEY, caller);
        HttpServletRequest passedOn = request;
        if ("POST".equals(request.getMethod())) {
            byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                HttpErrors.json(response, 413, "payload_too_large", "The body is larger than " + MAX_BODY_BYTES
                        + " bytes");
                return;
            }
            Optional<Feature> feature = FeatureOfMessage.of(McpJsonDefaults.getMapper(), text(request, body));
            if (feature.isPresent() && lacksScope(caller, feature.get())) {
                insufficientScope(request, response, caller, feature.get(), metadata);
                return;
            }
            passedOn = new ReplayedBody(request, body, request.getInputStream());
        }
        log.debug("{} {} by {}", request.getMethod(), request.getRequestURI(), caller.subject());
        sessions.forward(passedOn, response, chain, caller.subject());
    }

    /** A feature without a row passes here: FeatureGuard refuses it to everyone, and the SDK may not know it. */
    private boolean lacksScope(Caller caller, Feature feature) {
        List<String> anyOf = permissions.required(feature);
        return !anyOf.isEmpty() && anyOf.stream().noneMatch(caller::has);
    }

    private void insufficientScope(HttpServletRequest request, HttpServletResponse response, Caller caller,
            Feature feature, String metadata) throws IOException {
        String needed = permissions.required(feature).get(0);
        Set<String> ask = new LinkedHashSet<>();
        ask.add(needed);
        ask.addAll(caller.permissions());
        log.info("Refused {} {}: {} lacks {} for {}", request.getMethod(), request.getRequestURI(), caller.subject(),
                needed, feature);
        response.setHeader("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\""
                + String.join(" ", ask) + "\", resource_metadata=\"" + metadata + "\"");
        HttpErrors.json(response, 403, "insufficient_scope", feature + " needs the scope " + needed
                + ", which the access token does not grant");
    }

    private static void unavailable(HttpServletResponse response, String description) throws IOException {
        response.setHeader("Retry-After", "1");
        HttpErrors.json(response, 503, "temporarily_unavailable", description);
    }

    /** The body as the SDK's servlet decodes it: the request's charset, or UTF-8. */
    private static String text(HttpServletRequest request, byte[] body) {
        String encoding = request.getCharacterEncoding();
        Charset charset = StandardCharsets.UTF_8;
        try {
            if (encoding != null) {
                charset = Charset.forName(encoding);
            }
        } catch (RuntimeException unknownCharset) {
            return ""; // names no feature; the SDK cannot decode it either
        }
        return new String(body, charset);
    }
}
