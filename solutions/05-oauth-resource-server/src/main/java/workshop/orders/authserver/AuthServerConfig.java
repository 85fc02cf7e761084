package workshop.orders.authserver;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AuthorizationCodeRequestAuthenticationConverter;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;

/**
 * The Spring side of the authorization server: two filter chains and the beans they read.
 * {@link AuthServer} creates the context and registers one {@link AuthServer.Settings} bean.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class AuthServerConfig {

    /** Chain 1: the OAuth endpoints (/oauth2/*, /.well-known/*, /userinfo, /connect/*). */
    @Bean
    @Order(1)
    SecurityFilterChain authorizationServerChain(HttpSecurity http, AuthServer.Settings settings) {
        http.oauth2AuthorizationServer(as -> {
            http.securityMatcher(as.getEndpointsMatcher());
            as.oidc(oidc -> oidc // /.well-known/openid-configuration, /userinfo
                            .providerConfigurationEndpoint(config -> config.providerConfigurationCustomizer(m -> m
                                    .claims(ServerMetadata::onlyWhatClientsCanUse)
                                    .scopes(scopes -> scopes.addAll(Users.ORDERS_SCOPES)))))
                    // RFC 8414: only what a registered (public) client can use, and the orders desk scopes
                    .authorizationServerMetadataEndpoint(metadata -> metadata.authorizationServerMetadataCustomizer(m -> m
                            .claims(ServerMetadata::onlyWhatClientsCanUse)
                            .scopes(scopes -> scopes.addAll(Users.ORDERS_SCOPES))))
                    .clientRegistrationEndpoint(registration -> registration // RFC 7591 at /oauth2/register
                            .openRegistrationAllowed(true)
                            .authenticationProviders(ClientRegistrationPolicy::apply))
                    .authorizationEndpoint(authorize -> authorize
                            .authorizationRequestConverters(converters -> converters.replaceAll(c ->
                                    c instanceof OAuth2AuthorizationCodeRequestAuthenticationConverter
                                            ? AuthorizationPolicy.scopeLimitingConverter() : c))
                            .authenticationProviders(providers ->
                                    AuthorizationPolicy.apply(providers, settings::resource))
                            .authorizationResponseHandler(AuthorizationPolicy.authorizationResponse(settings.issuer()))
                            .errorResponseHandler(AuthorizationPolicy.authorizationErrorResponse(settings.issuer())));
        });
        // prompt=login and max_age: a login too old for the request counts as none, so Spring shows the login form
        http.addFilterBefore(AuthorizationPolicy.freshLoginFilter("/oauth2/authorize", settings.clock()),
                AuthorizationFilter.class);
        http.authorizeHttpRequests(authorize -> authorize
                // open registration: the endpoint itself must be reachable without a login
                .requestMatchers(HttpMethod.POST, "/oauth2/register").permitAll()
                .requestMatchers("/.well-known/**").permitAll() // what Spring does not answer there is a 404
                .anyRequest().authenticated());
        // A token request without client authentication is 401 invalid_client (RFC 6749 §5.2), whatever it accepts;
        // a browser (or any client that accepts text/html, */* included) without a session goes to /login.
        http.exceptionHandling(exceptions -> exceptions
                .defaultAuthenticationEntryPointFor(ClientRegistrationPolicy::invalidClient,
                        PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/oauth2/token"))
                .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"),
                        new MediaTypeRequestMatcher(MediaType.TEXT_HTML)));
        return http.build();
    }

    /**
     * Chain 2: everything else, in particular Spring's generated login page (GET/POST /login). A login records when
     * it happened, on the server's clock: the {@code auth_time} of the tokens it leads to (RFC 9470). The form is
     * throttled ({@link LoginThrottle}). Nothing else lives under /.well-known: an unknown path there is a 404.
     */
    @Bean
    @Order(2)
    SecurityFilterChain loginChain(HttpSecurity http, AuthServer.Settings settings) {
        LoginThrottle throttle = new LoginThrottle(settings.clock());
        http.authorizeHttpRequests(authorize -> authorize.requestMatchers("/.well-known/**").permitAll()
                        .anyRequest().authenticated())
                .formLogin(form -> throttle.guard(http, form.authenticationDetailsSource(request ->
                        new AuthorizationPolicy.LoginTime(settings.clock().instant()))));
        return http.build();
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(AuthServer.Settings settings) {
        // A fixed issuer: without it Spring derives the issuer from each request's Host header,
        // so http://localhost:<port> and http://127.0.0.1:<port> would be two different issuers.
        return AuthorizationServerSettings.builder().issuer(settings.issuer()).build();
    }

    /**
     * bcrypt at cost 4 (the default, 10, costs ~70-250 ms per hash): the passwords are random and live only in
     * memory for one run. One encoder for everything the login form does: the users' hashes, the dummy hash an
     * unknown name is checked against, and no re-hashing after a login. Spring's default encoder would make that dummy
     * hash at cost 10: an unknown name would take 100 ms longer to refuse than a wrong password, and timing would tell
     * which names exist.
     */
    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder(4);
    }

    @Bean
    UserDetailsService users(AuthServer.Settings settings, PasswordEncoder passwords) {
        InMemoryUserDetailsManager manager = new InMemoryUserDetailsManager();
        settings.users().passwords().forEach((name, password) -> manager.createUser(
                User.withUsername(name).password(passwords.encode(password)).roles("USER").build()));
        return manager;
    }

    /** Clients exist only once registered, at most {@value RegisteredClients#CAPACITY} of them. */
    @Bean
    RegisteredClientRepository registeredClients(AuthServer.Settings settings) {
        return settings.clients();
    }

    /** Published at /oauth2/jwks (public parts only). */
    @Bean
    SigningKeys jwkSource(AuthServer.Settings settings) {
        return settings.keys();
    }

    /** Signs with the current key only (Spring refuses to choose between two RS256 keys). */
    @Bean
    JwtEncoder jwtEncoder(SigningKeys keys) {
        NimbusJwtEncoder encoder = new NimbusJwtEncoder(keys);
        encoder.setJwkSelector(keys::pickSigningKey);
        return encoder;
    }

    /** Needed by /userinfo (and by registration with an initial access token). */
    @Bean
    JwtDecoder jwtDecoder(SigningKeys keys) {
        return NimbusJwtDecoder.withJwkSource(keys).build();
    }

    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> audienceCustomizer(AuthServer.Settings settings) {
        return AuthorizationPolicy.audienceCustomizer(settings::resource);
    }
}
