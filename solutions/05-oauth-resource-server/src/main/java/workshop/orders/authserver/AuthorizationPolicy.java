package workshop.orders.authserver;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
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
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * What happens at GET /oauth2/authorize and in the access token:
 * <ol>
 *   <li>scopes: a user gets only the requested scopes that user is allowed ({@link Users});
 *       the others are silently dropped (RFC 6749 3.3 lets the server grant less; the token
 *       response's {@code scope} says what was granted); none of them: {@code invalid_scope};</li>
 *   <li>RFC 8707 {@code resource}: required at the authorization request and, if sent at the token
 *       request, the same: the configured MCP server URL (else {@code invalid_target});
 *       the access token's {@code aud} is that URL, its header {@code typ} {@code at+jwt} (RFC 9068),
 *       its {@code auth_time} when the user logged in (RFC 9470: the orders desk asks for a recent
 *       login before it cancels an order);</li>
 *   <li>redirect URI: exactly as registered, but for the port of 127.0.0.1 and [::1] (Spring's own rule;
 *       {@link RedirectUris} refuses a mismatch with a 400 page before this runs);</li>
 *   <li>a fresh login: {@code prompt=login}, or a login older than {@code max_age} seconds, shows the
 *       login form again (OpenID Connect Core 3.1.2.1, RFC 9470 4);</li>
 *   <li>RFC 9207: every response redirected to the client, code or error, names the issuer ({@code iss}).</li>
 * </ol>
 */
final class AuthorizationPolicy {

    private static final String RFC8707 = "https://datatracker.ietf.org/doc/html/rfc8707#section-2";
    static final String RESOURCE = "resource";
    static final String MAX_AGE = "max_age";
    /** The session remembers since when a {@code prompt=login} request waits for its login. */
    private static final String LOGIN_ASKED_AT = AuthorizationPolicy.class.getName() + ".loginAskedAt";

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
            if (granted.isEmpty()) {
                return converted; // nothing to grant: the validator answers invalid_scope, after the redirect_uri check
            }
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
                        OAuth2AuthorizationCodeRequestAuthenticationValidator.DEFAULT_REDIRECT_URI_VALIDATOR)
                        .andThen(OAuth2AuthorizationCodeRequestAuthenticationValidator.DEFAULT_SCOPE_VALIDATOR)
                        .andThen(context -> validateResource(context, resource.get()))
                        .andThen(AuthorizationPolicy::validateGrantable)
                        .andThen(AuthorizationPolicy::validateMaxAge));
            }
        }
    }

    private static void validateResource(OAuth2AuthorizationCodeRequestAuthenticationContext context,
            String expected) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        Object sent = request.getAdditionalParameters().get(RESOURCE);
        if (expected == null || !expected.equals(sent)) { // missing, or a String[] (several): never equals
            // Thrown after the redirect_uri check, so Spring redirects the error to the client.
            throw new OAuth2AuthorizationCodeRequestAuthenticationException(
                    new OAuth2Error("invalid_target", refusal(expected), RFC8707), request);
        }
    }

    /** Requested scopes of which the user may have none: RFC 6749 4.1.2.1 {@code invalid_scope}, not an empty grant. */
    private static void validateGrantable(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        Authentication user = loggedIn(request.getPrincipal());
        if (user != null && !request.getScopes().isEmpty()
                && Users.grantable(user.getName(), request.getScopes()).isEmpty()) {
            throw new OAuth2AuthorizationCodeRequestAuthenticationException(new OAuth2Error("invalid_scope",
                    "none of the requested scopes may be granted to this user", null), request);
        }
    }

    private static void validateMaxAge(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        Object sent = request.getAdditionalParameters().get(MAX_AGE);
        if (sent != null && maxAge(sent) == null) {
            throw new OAuth2AuthorizationCodeRequestAuthenticationException(new OAuth2Error("invalid_request",
                    "max_age must be a whole number of seconds", null), request);
        }
    }

    // ---- 2. the access token: audience, typ, auth_time ------------------------------------

    /** When the user logged in with the login form: the details of that login's {@code Authentication}. */
    record LoginTime(Instant at) {
    }

    /**
     * Sets {@code aud} of every access token to the resource, {@code scope} to one string, {@code typ} to
     * {@code at+jwt} and {@code auth_time} to the login's time; refuses a wrong {@code resource}.
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
            // RFC 9068 2.1: the header says what the token is, so it cannot pass for an ID token or the reverse.
            context.getJwsHeader().type("at+jwt");
            // RFC 9470 §3 (OpenID Connect's claim): seconds since the epoch, from the login the code was issued to.
            if (context.getPrincipal() != null && context.getPrincipal().getDetails() instanceof LoginTime login) {
                context.getClaims().claim("auth_time", login.at().getEpochSecond());
            }
        };
    }

    // ---- 4. a fresh login when the request asks for one -------------------------------------

    /**
     * Runs before Spring's access check of GET /oauth2/authorize: a logged-in user whose login does not satisfy the
     * request's {@code prompt=login} or {@code max_age} is treated as not logged in, so Spring keeps the request and
     * shows the login form; the new login (a new {@link LoginTime}) then satisfies it. {@code clock} is the one the
     * login form records logins on.
     */
    static Filter freshLoginFilter(String authorizationPath, Clock clock) {
        return (servletRequest, response, chain) -> {
            Authentication user = loggedIn(SecurityContextHolder.getContext().getAuthentication());
            if (user != null && servletRequest instanceof HttpServletRequest request
                    && authorizationPath.equals(request.getRequestURI()) && !freshEnough(request, user, clock.instant())) {
                SecurityContextHolder.clearContext(); // for this request only: the session keeps its login
            }
            chain.doFilter(servletRequest, response);
        };
    }

    private static boolean freshEnough(HttpServletRequest request, Authentication user, Instant now) {
        Instant login = user.getDetails() instanceof LoginTime time ? time.at() : null;
        Long maxAge = maxAge(request.getParameter(MAX_AGE));
        String prompt = request.getParameter("prompt");
        boolean promptLogin = (prompt != null && Arrays.asList(prompt.split(" ")).contains("login"))
                || Long.valueOf(0).equals(maxAge); // OpenID Connect: max_age=0 is prompt=login
        if (promptLogin) {
            HttpSession session = request.getSession();
            Instant askedAt = session.getAttribute(LOGIN_ASKED_AT) instanceof Instant at ? at : null;
            if (askedAt != null && login != null && !login.isBefore(askedAt)) {
                session.removeAttribute(LOGIN_ASKED_AT); // logged in since it was asked: this request is answered
                return true;
            }
            session.setAttribute(LOGIN_ASKED_AT, now);
            return false;
        }
        return maxAge == null || (login != null && !now.isAfter(login.plusSeconds(maxAge)));
    }

    /** A whole number of seconds, 0 or more, or null (absent or not a number). */
    private static Long maxAge(Object sent) {
        if (sent instanceof String text && text.matches("[0-9]{1,10}")) {
            return Long.valueOf(text);
        }
        return null;
    }

    private static Authentication loggedIn(Object principal) {
        return principal instanceof Authentication user && !(user instanceof AnonymousAuthenticationToken)
                && user.isAuthenticated() ? user : null;
    }

    // ---- 5. RFC 9207: iss in the authorization response -----------------------------------

    /** The redirect with the code: {@code code}, {@code state} when sent, and {@code iss}. */
    static AuthenticationSuccessHandler authorizationResponse(String issuer) {
        return (request, response, authentication) -> {
            OAuth2AuthorizationCodeRequestAuthenticationToken answered =
                    (OAuth2AuthorizationCodeRequestAuthenticationToken) authentication;
            UriComponentsBuilder redirect = UriComponentsBuilder.fromUriString(answered.getRedirectUri())
                    .queryParam("code", answered.getAuthorizationCode().getTokenValue());
            sendToClient(request, response, redirect, answered.getState(), issuer);
        };
    }

    /**
     * The redirect with an error, once the redirect URI is known to be the client's; before that (an unknown client,
     * a redirect URI not registered) no redirect: 400.
     */
    static AuthenticationFailureHandler authorizationErrorResponse(String issuer) {
        return (request, response, exception) -> {
            OAuth2Error error = exception instanceof OAuth2AuthenticationException oauth ? oauth.getError()
                    : new OAuth2Error("invalid_request");
            OAuth2AuthorizationCodeRequestAuthenticationToken refused =
                    exception instanceof OAuth2AuthorizationCodeRequestAuthenticationException e
                            ? e.getAuthorizationCodeRequestAuthentication() : null;
            if (refused == null || refused.getRedirectUri() == null || refused.getRedirectUri().isBlank()) {
                response.sendError(400, error.toString());
                return;
            }
            UriComponentsBuilder redirect = UriComponentsBuilder.fromUriString(refused.getRedirectUri())
                    .queryParam("error", encode(error.getErrorCode()));
            if (error.getDescription() != null && !error.getDescription().isBlank()) {
                redirect.queryParam("error_description", encode(error.getDescription()));
            }
            if (error.getUri() != null && !error.getUri().isBlank()) {
                redirect.queryParam("error_uri", encode(error.getUri()));
            }
            sendToClient(request, response, redirect, refused.getState(), issuer);
        };
    }

    private static void sendToClient(HttpServletRequest request, HttpServletResponse response,
            UriComponentsBuilder redirect, String state, String issuer) throws IOException {
        if (state != null && !state.isBlank()) {
            redirect.queryParam("state", encode(state));
        }
        redirect.queryParam("iss", encode(issuer));
        new DefaultRedirectStrategy().sendRedirect(request, response, redirect.build(true).toUriString());
    }

    private static String encode(String value) {
        return UriUtils.encode(value, StandardCharsets.UTF_8);
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
}
