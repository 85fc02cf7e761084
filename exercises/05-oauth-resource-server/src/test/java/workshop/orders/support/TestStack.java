package workshop.orders.support;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import workshop.orders.Wiring;
import workshop.orders.authserver.AuthServer;
import workshop.orders.client.AuthorizationCodeFlow;
import workshop.orders.demo.DemoClock;
import workshop.orders.server.Orders;
import workshop.orders.server.OrdersServer;

/**
 * The exercise's two servers as {@code Main} wires them: the authorization server on a free port, the orders desk on
 * another with the layers of {@link Wiring#layers(Orders)}, both on one clock the test moves instead of waiting
 * (the authorization server records logins on it: {@code auth_time}). One per test class: start it in
 * {@code @BeforeAll}.
 */
public final class TestStack implements AutoCloseable {

    /** Every password a test's authorization server made, for LogHygieneTest. */
    public static final List<String> PASSWORDS = new CopyOnWriteArrayList<>();

    public final DemoClock clock = DemoClock.followingSystem();
    public final AuthServer authServer;
    public final Wiring wiring;
    public final Orders orders = Orders.seeded();
    public final OrdersServer server;
    public final URI mcp;
    public final AuthorizationCodeFlow.ServerMetadata metadata;
    public final String clientId;

    private TestStack() throws Exception {
        authServer = AuthServer.start(0, Map.of(), clock);
        AuthServer.users().keySet().forEach(user -> PASSWORDS.add(authServer.password(user)));
        wiring = Wiring.create(authServer.issuer(), clock);
        server = OrdersServer.start("127.0.0.1", 0, orders, Set.of(), endpoint -> wiring.layers(orders, endpoint));
        mcp = server.endpoint();
        authServer.resource(mcp);
        metadata = AuthorizationCodeFlow.serverMetadata(authServer.issuer());
        clientId = AuthorizationCodeFlow.register(metadata);
    }

    public static TestStack start() throws Exception {
        return new TestStack();
    }

    /** An access token of the user for the orders desk, asking for these scopes (space-separated), logged in now. */
    public String token(String user, String scope) {
        return token(user, scope, mcp);
    }

    /** An access token for another resource; the authorization server must be set to issue for it. */
    public String token(String user, String scope, URI resource) {
        return AuthorizationCodeFlow.authorize(metadata, clientId, resource, scope, user, authServer.password(user))
                .accessToken();
    }

    @Override
    public void close() throws Exception {
        try {
            server.close();
        } finally {
            authServer.close();
        }
    }
}
