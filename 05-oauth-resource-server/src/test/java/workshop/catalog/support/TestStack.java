package workshop.catalog.support;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import workshop.catalog.Wiring;
import workshop.catalog.authserver.AuthServer;
import workshop.catalog.client.AuthorizationCodeFlow;
import workshop.catalog.client.HeadlessLogin;
import workshop.catalog.demo.DemoClock;
import workshop.catalog.server.Catalog;
import workshop.catalog.server.CatalogServer;

/**
 * The step's two servers as the tests need them, wired as {@code Main} wires them: the authorization server on a
 * free port, the MCP server on another, its layers from {@link Wiring} on a clock the test moves instead of waiting.
 * One per test class: start it in {@code @BeforeAll}.
 */
public final class TestStack implements AutoCloseable {

    /** Every password a test's authorization server made, for LogHygieneTest. */
    public static final List<String> PASSWORDS = new CopyOnWriteArrayList<>();

    public final AuthServer authServer;
    public final DemoClock clock = DemoClock.followingSystem();
    public final Wiring wiring;
    public final CatalogServer server;
    public final URI mcp;
    public final AuthorizationCodeFlow.ServerMetadata metadata;
    public final String clientId;

    private TestStack() throws Exception {
        authServer = AuthServer.start(0, Map.of());
        AuthServer.users().keySet().forEach(user -> PASSWORDS.add(authServer.password(user)));
        wiring = Wiring.create(authServer.issuer(), clock);
        server = CatalogServer.start("127.0.0.1", 0, Catalog.seeded(), Set.of(), wiring::layers);
        mcp = server.endpoint();
        authServer.resource(mcp);
        metadata = AuthorizationCodeFlow.serverMetadata(authServer.issuer());
        clientId = AuthorizationCodeFlow.register(metadata);
    }

    public static TestStack start() throws Exception {
        return new TestStack();
    }

    /** An access token of the user for the MCP server, asking for these scopes (space-separated). */
    public String token(String user, String scope) {
        return token(user, scope, mcp);
    }

    /** An access token for another resource; the authorization server must be set to issue for it. */
    public String token(String user, String scope, URI resource) {
        return AuthorizationCodeFlow.authorize(metadata, clientId, resource, scope,
                new HeadlessLogin(user, authServer.password(user)))
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
