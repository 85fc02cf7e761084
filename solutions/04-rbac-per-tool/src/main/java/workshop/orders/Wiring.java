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
import workshop.orders.auth.pertool.FeatureGuard;
import workshop.orders.auth.pertool.FeaturePermissions;
import workshop.orders.auth.pertool.OrderOwnership;
import workshop.orders.server.Layers;
import workshop.orders.server.Orders;

/**
 * Step 04's security, built in one place: {@link Main}, the demo, the tests and the benchmark all take the
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
     * The layers of step 04 for a server of these orders: a valid access token of an enabled account on every
     * {@code /mcp} request; logging in at {@code /auth/*}; the verified caller handed on to the tools (and to the
     * desk as who places an order), and {@code whoami} to show it; every tool, resource and prompt behind the
     * permission table, and {@code cancel_order} also open to the user who placed the order.
     */
    public Layers layers(Orders orders) {
        return Layers.NONE
                .filter(new JwtAuthFilter(tokens))
                .filter(new PermissionFilter(users))
                .endpoint(AuthServlet.PATH, new AuthServlet(users, tokens, refreshTokens, throttle))
                .context(OrderOwnership::transportContext)
                .tool(WhoAmI.tool())
                .features(new FeatureGuard(FeaturePermissions.orders(), new OrderOwnership(orders)));
    }
}
