package workshop.orders.authserver;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.OAuth2ClientRegistration;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientRegistrationAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientRegistrationAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientRegistrationAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientRegistrationAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.converter.OAuth2ClientRegistrationRegisteredClientConverter;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

/**
 * Open dynamic client registration (RFC 7591, POST /oauth2/register) for MCP clients.
 *
 * <p>Spring's endpoint wants an initial access token with scope {@code client.create}; with
 * {@code openRegistrationAllowed(true)} it takes anonymous requests. This policy then narrows
 * what an anonymous caller may register:
 * <ul>
 *   <li>public clients only: {@code token_endpoint_auth_method} must be {@code none} (or absent);</li>
 *   <li>redirect URIs on the loopback interface only ({@code http://127.0.0.1}, {@code localhost},
 *       {@code [::1]}, any port); others (VS Code also sends https://vscode.dev/redirect) are dropped,
 *       and a registration left with none is refused;</li>
 *   <li>a requested {@code scope} is accepted (VS Code sends one; Spring's default validator would
 *       refuse it) but ignored: every client may ask for all orders desk scopes, the user decides;</li>
 *   <li>authorization_code only, PKCE required, consent screen off;</li>
 *   <li>access tokens live {@value #ACCESS_TOKEN_MINUTES} minutes (the workshop's lifetime since step 02), longer than
 *       the orders desk's recent-login window, so a token outlives the login it proves;</li>
 *   <li>bounded: a {@code client_name} of at most {@value #MAX_CLIENT_NAME} characters, at most
 *       {@value #MAX_REDIRECT_URIS} redirect URIs, none with a user-info part ({@link RegistrationLimits} caps the
 *       body and the rate, {@link RegisteredClients} the number of clients).</li>
 * </ul>
 */
final class ClientRegistrationPolicy {

    static final int MAX_CLIENT_NAME = 200;
    static final int MAX_REDIRECT_URIS = 5;
    private static final String RFC7591 = "https://datatracker.ietf.org/doc/html/rfc7591#section-3.2.2";
    static final int ACCESS_TOKEN_MINUTES = 15;
    private static final OAuth2ClientRegistrationRegisteredClientConverter DEFAULTS =
            new OAuth2ClientRegistrationRegisteredClientConverter();

    private ClientRegistrationPolicy() {
    }

    /** Plugs the policy into the provider Spring creates for the endpoint (openRegistrationAllowed is set on the configurer). */
    static void apply(List<AuthenticationProvider> providers) {
        for (AuthenticationProvider provider : providers) {
            if (provider instanceof OAuth2ClientRegistrationAuthenticationProvider registration) {
                registration.setAuthenticationValidator(ClientRegistrationPolicy::validate);
                registration.setRegisteredClientConverter(ClientRegistrationPolicy::toRegisteredClient);
            }
        }
    }

    private static void validate(OAuth2ClientRegistrationAuthenticationContext context) {
        OAuth2ClientRegistrationAuthenticationToken authentication = context.getAuthentication();
        OAuth2ClientRegistration request = authentication.getClientRegistration();
        String method = request.getTokenEndpointAuthenticationMethod();
        if (method != null && !ClientAuthenticationMethod.NONE.getValue().equals(method)) {
            throw error("invalid_client_metadata", "only public clients: token_endpoint_auth_method must be none");
        }
        String name = request.getClientName();
        if (name != null && name.length() > MAX_CLIENT_NAME) {
            throw error("invalid_client_metadata", "client_name is at most " + MAX_CLIENT_NAME + " characters");
        }
        List<String> redirectUris = request.getRedirectUris();
        if (redirectUris != null && redirectUris.size() > MAX_REDIRECT_URIS) {
            throw error(OAuth2ErrorCodes.INVALID_REDIRECT_URI, "at most " + MAX_REDIRECT_URIS + " redirect_uris");
        }
        // Spring's checks: parseable, no fragment, no javascript:/data: schemes.
        OAuth2ClientRegistrationAuthenticationValidator.DEFAULT_REDIRECT_URI_VALIDATOR.accept(context);
        if (redirectUris == null || redirectUris.stream().noneMatch(ClientRegistrationPolicy::isLoopback)) {
            throw error(OAuth2ErrorCodes.INVALID_REDIRECT_URI, "a loopback redirect_uri is required");
        }
    }

    private static RegisteredClient toRegisteredClient(OAuth2ClientRegistration request) {
        RegisteredClient base = DEFAULTS.convert(request); // client_id, name, issued-at
        return RegisteredClient.from(base)
                .clientSecret(null)
                .clientAuthenticationMethods(m -> {
                    m.clear();
                    m.add(ClientAuthenticationMethod.NONE);
                })
                .redirectUris(uris -> uris.removeIf(uri -> !isLoopback(uri)))
                .authorizationGrantTypes(g -> {
                    g.clear();
                    g.add(AuthorizationGrantType.AUTHORIZATION_CODE);
                })
                .scopes(s -> {
                    s.clear();
                    s.addAll(Users.ORDERS_SCOPES);
                    s.add(OidcScopes.OPENID);
                    s.add(OidcScopes.PROFILE);
                })
                .clientSettings(ClientSettings.builder()
                        .requireProofKey(true)              // PKCE (S256 is the only method Spring accepts)
                        .requireAuthorizationConsent(false) // no consent page
                        .build())
                .tokenSettings(TokenSettings.builder()
                        .accessTokenTimeToLive(Duration.ofMinutes(ACCESS_TOKEN_MINUTES))
                        .build())
                .build();
    }

    /** http on 127.0.0.1, localhost or [::1], any port, no user-info part. */
    static boolean isLoopback(String uri) {
        try {
            URI parsed = new URI(uri);
            return "http".equals(parsed.getScheme()) && parsed.getRawUserInfo() == null
                    && Set.of("127.0.0.1", "localhost", "[::1]").contains(parsed.getHost());
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * The token endpoint's answer to a request that authenticates no client (no {@code client_id} with a
     * {@code code_verifier}, no secret): 401 {@code invalid_client}, JSON (RFC 6749 §5.2), never the login page.
     */
    static void invalidClient(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        response.setStatus(401);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.getOutputStream().write(("{\"error\":\"invalid_client\",\"error_description\":"
                + "\"no client authentication: a public client sends client_id and code_verifier\"}")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static OAuth2AuthenticationException error(String code, String description) {
        return new OAuth2AuthenticationException(new OAuth2Error(code, description, RFC7591));
    }
}
