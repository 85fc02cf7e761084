package workshop.orders.authserver;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationGrantAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AuthorizationCodeRequestAuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * What happens at GET /oauth2/authorize and in the access token:
 * <ol>
 *   <li>scopes: a user gets only the requested scopes that user is allowed ({@link Users});
 *       the others are silently dropped (RFC 6749 3.3 lets the server grant less; the token
 *       response's {@code scope} says what was granted);</li>
 *   <li>RFC 8707 {@code resource}: if sent, it must be the configured MCP server URL, at the
 *       authorization request and at the token request (else {@code invalid_target});
 *       the access token's {@code aud} is that URL, and its {@code auth_time} when the user logged in
 *       (RFC 9470: the orders desk asks for a recent login before it cancels an order);</li>
 *   <li>redirect URI: Spring already ignores the port for 127.0.0.1 and [::1]; this adds the same
 *       for {@code localhost}, which MCP Inspector uses.</li>
 * </ol>
 */
final class AuthorizationPolicy {

    private static final String RFC8707 = "https://datatracker.ietf.org/doc/html/rfc8707#section-2";
    static final String RESOURCE = "resource";

    private AuthorizationPolicy() {
    }

    // ---- 1. scopes -------------------------------------------------------------------------

    /**
     * Wraps Spring's converter for GET /oauth2/authorize: once the user has logged in, the request's
     * scopes are cut down to what that user may have, before Spring validates and records them.
     */
    static AuthenticationConverter scopeLimitingConverter() {
        OAuth2AuthorizationCodeRequestAuthenticationConverter spring =
                new OAuth2AuthorizationCodeRequestAuthenticationConverter();
        return request -> {
            Authentication converted = spring.convert(request);
            if (!(converted instanceof OAuth2AuthorizationCodeRequestAuthenticationToken authorize)
                    || !(authorize.getPrincipal() instanceof Authentication user)
                    || user instanceof AnonymousAuthenticationToken || !user.isAuthenticated()) {
                return converted; // not logged in yet: Spring sends the browser to /login first
            }
            Set<String> granted = Users.grantable(user.getName(), authorize.getScopes());
            return new OAuth2AuthorizationCodeRequestAuthenticationToken(authorize.getAuthorizationUri(),
                    authorize.getClientId(), user, authorize.getRedirectUri(), authorize.getState(), granted,
                    authorize.getAdditionalParameters());
        };
    }

    // ---- 2. and 3. validation of the authorization request ----------------------------------

    /** Replaces the validator of Spring's authorization-code request provider. */
    static void apply(List<AuthenticationProvider> providers, Supplier<String> resource) {
        for (AuthenticationProvider provider : providers) {
            if (provider instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider authorize) {
                authorize.setAuthenticationValidator(((Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext>)
                        AuthorizationPolicy::validateRedirectUri)
                        .andThen(OAuth2AuthorizationCodeRequestAuthenticationValidator.DEFAULT_SCOPE_VALIDATOR)
                        .andThen(context -> validateResource(context, resource.get())));
            }
        }
    }

    private static void validateRedirectUri(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        String requested = request.getRedirectUri();
        if (requested != null && "localhost".equals(host(requested)) && context.getRegisteredClient()
                .getRedirectUris().stream().anyMatch(registered -> sameExceptPort(registered, requested))) {
            return;
        }
        OAuth2AuthorizationCodeRequestAuthenticationValidator.DEFAULT_REDIRECT_URI_VALIDATOR.accept(context);
    }

    private static void validateResource(OAuth2AuthorizationCodeRequestAuthenticationContext context,
            String expected) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        Object sent = request.getAdditionalParameters().get(RESOURCE);
        if (expected == null || (sent != null && !expected.equals(sent))) { // a String[] (several) never equals
            // Thrown after the redirect_uri check, so Spring redirects the error to the client.
            throw new OAuth2AuthorizationCodeRequestAuthenticationException(
                    new OAuth2Error("invalid_target", refusal(expected), RFC8707), request);
        }
    }

    // ---- 2. the access token's audience ---------------------------------------------------

    /** When the user logged in with the login form: the details of that login's {@code Authentication}. */
    record LoginTime(Instant at) {
    }

    /**
     * Sets {@code aud} of every access token to the resource, {@code scope} to one string and {@code auth_time} to
     * the login's time; refuses a wrong {@code resource}.
     */
    static OAuth2TokenCustomizer<JwtEncodingContext> audienceCustomizer(Supplier<String> resource) {
        return context -> {
            if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
                return; // ID tokens keep aud = client_id
            }
            String expected = resource.get();
            if (expected == null) {
                throw new OAuth2AuthenticationException(new OAuth2Error("invalid_target", refusal(null), RFC8707));
            }
            Object atTokenRequest = context.getAuthorizationGrant() instanceof OAuth2AuthorizationGrantAuthenticationToken grant
                    ? grant.getAdditionalParameters().get(RESOURCE) : null;
            Object atAuthorizeRequest = resourceOfAuthorizationRequest(context.getAuthorization());
            for (Object sent : new Object[] {atTokenRequest, atAuthorizeRequest}) {
                if (sent != null && !expected.equals(sent)) {
                    throw new OAuth2AuthenticationException(
                            new OAuth2Error("invalid_target", refusal(expected), RFC8707));
                }
            }
            context.getClaims().audience(List.of(expected));
            // RFC 9068 2.2.3: "scope" is one space-separated string (Spring writes a JSON array).
            context.getClaims().claim("scope", String.join(" ", new TreeSet<>(context.getAuthorizedScopes())));
            // RFC 9470 §3 (OpenID Connect's claim): seconds since the epoch, from the login the code was issued to.
            if (context.getPrincipal() != null && context.getPrincipal().getDetails() instanceof LoginTime login) {
                context.getClaims().claim("auth_time", login.at().getEpochSecond());
            }
        };
    }

    private static String refusal(String expected) {
        return expected == null ? "this server issues no tokens until it knows its resource server"
                : "resource must be " + expected;
    }

    private static Object resourceOfAuthorizationRequest(OAuth2Authorization authorization) {
        if (authorization == null) {
            return null;
        }
        OAuth2AuthorizationRequest request = authorization.getAttribute(OAuth2AuthorizationRequest.class.getName());
        Map<String, Object> parameters = request == null ? Map.of() : request.getAdditionalParameters();
        return parameters.get(RESOURCE);
    }

    private static String host(String uri) {
        try {
            return new URI(uri).getHost();
        } catch (Exception e) {
            return null;
        }
    }

    private static boolean sameExceptPort(String a, String b) {
        try {
            URI x = new URI(a);
            URI y = new URI(b);
            return Objects.equals(x.getScheme(), y.getScheme()) && Objects.equals(x.getHost(), y.getHost())
                    && Objects.equals(x.getRawPath(), y.getRawPath()) && Objects.equals(x.getRawQuery(), y.getRawQuery());
        } catch (Exception e) {
            return false;
        }
    }
}
