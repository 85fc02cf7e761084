package workshop.orders;

import java.security.KeyPair;
import java.time.Clock;
import workshop.orders.auth.jwt.AuthServlet;
import workshop.orders.auth.jwt.JwtAuthFilter;
import workshop.orders.auth.jwt.LoginThrottle;
import workshop.orders.auth.jwt.RefreshTokens;
import workshop.orders.auth.jwt.TokenService;
import workshop.orders.auth.jwt.UserDirectory;
import workshop.orders.auth.permissions.PermissionFilter;
import workshop.orders.auth.permissions.WhoAmI;
import workshop.orders.server.Layers;

/**
 * Step 03's security, built in one place: {@link Main}, the demo, the tests and the benchmark all take the
 * layers of their server from here. The next step changes this class, not the server.
 *
 * @param tokens        issues and verifies the access tokens
 * @param users         the accounts that may log in
 * @param refreshTokens the refresh tokens handed out, by hash
 * @param throttle      slows down password guessing at the login endpoint
 */
public record Wiring(TokenService tokens, UserDirectory users, RefreshTokens refreshTokens, LoginThrottle throttle) {

    /** The parts with their default lifetimes, on the given clock, signing with the given ES256 key pair. */
    public static Wiring create(KeyPair signingKeys, Clock clock, UserDirectory users) {
        return new Wiring(new TokenService(signingKeys, clock, TokenService.DEFAULT_LIFETIME), users,
                new RefreshTokens(clock, RefreshTokens.DEFAULT_LIFETIME), new LoginThrottle(clock));
    }

    /**
     * The layers of step 03: a valid access token on every {@code /mcp} request, then an enabled account and the
     * permission {@code User.Read}; logging in at {@code /auth/*}; the verified caller handed on to the tools,
     * and {@code whoami} to show it.
     */
    public Layers layers() {
        return Layers.NONE
                .filter(new JwtAuthFilter(tokens))
                .filter(new PermissionFilter(users, PermissionFilter.USER_READ))
                .endpoint(AuthServlet.PATH, new AuthServlet(users, tokens, refreshTokens, throttle))
                // TODO(03.2): every tool must find the caller in exchange.transportContext().
                .tool(WhoAmI.tool());
    }
}
