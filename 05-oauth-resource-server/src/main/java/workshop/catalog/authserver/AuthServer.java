package workshop.catalog.authserver;

import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.springframework.web.context.ContextLoaderListener;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.filter.DelegatingFilterProxy;

/**
 * The stand-in identity provider: Spring Authorization Server 7 (no Spring Boot) on a Jetty of its own, bound to
 * 127.0.0.1 on its own port. Its issuer is {@code http://127.0.0.1:<port>}, whatever name a client uses to reach it.
 *
 * <pre>{@code
 * try (AuthServer as = AuthServer.start(0, System.getenv())) {   // 0: any free port
 *     as.resource(mcpServer.endpoint());   // the one resource it issues tokens for (RFC 8707), set once
 *     as.issuer();                          // http://127.0.0.1:<port>
 *     as.password("alice");                 // AS_PASSWORD_ALICE, or generated at start
 * }
 * }</pre>
 */
public final class AuthServer implements AutoCloseable {

    /** What the Spring beans need to know about this instance (one bean in the context). */
    static final class Settings {
        private final String issuer;
        private final Users users;
        private final Clock clock;
        private final SigningKeys keys = new SigningKeys();
        private final RegisteredClients clients = new RegisteredClients(RegisteredClients.CAPACITY);
        private volatile String resource;

        Settings(String issuer, Users users, Clock clock) {
            this.issuer = issuer;
            this.users = users;
            this.clock = clock;
        }

        /** When a user logs in, for the {@code auth_time} of the tokens of that login; the time of the limits. */
        Clock clock() {
            return clock;
        }

        String issuer() {
            return issuer;
        }

        /** The MCP server's canonical URL, or null while it is not known yet (every authorization is then refused). */
        String resource() {
            return resource;
        }

        Users users() {
            return users;
        }

        SigningKeys keys() {
            return keys;
        }

        RegisteredClients clients() {
            return clients;
        }
    }

    private final Server jetty;
    private final int port;
    private final Settings settings;

    private AuthServer(Server jetty, int port, Settings settings) {
        this.jetty = jetty;
        this.port = port;
        this.settings = settings;
    }

    /**
     * Starts the server on 127.0.0.1:{@code port} (0: a free port). The users' passwords come from
     * {@code AS_PASSWORD_<USER>} in {@code env}, or are generated. It refuses every authorization until
     * {@link #resource(URI)} names the MCP server it issues tokens for.
     */
    public static AuthServer start(int port, Map<String, String> env) throws Exception {
        return start(port, env, Clock.systemUTC());
    }

    /**
     * As {@link #start(int, Map)}; {@code clock} says when a user logs in (the {@code auth_time} of the access tokens
     * of that login, which {@code max_age} is measured against) and runs the registration and login limits (a test
     * moves it instead of waiting).
     */
    public static AuthServer start(int port, Map<String, String> env, Clock clock) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("auth-server-http");
        Server jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        jetty.addConnector(connector);
        // Bound before Spring starts, so the issuer carries the real port even when port is 0.
        connector.open();
        int actualPort = connector.getLocalPort();
        Settings settings = new Settings("http://127.0.0.1:" + actualPort, new Users(env), clock);

        AnnotationConfigWebApplicationContext spring = new AnnotationConfigWebApplicationContext();
        spring.register(AuthServerConfig.class);
        spring.addBeanFactoryPostProcessor(beans -> beans.registerSingleton("authServerSettings", settings));

        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.setContextPath("/");
        // Cookies ignore ports: on 127.0.0.1 a browser shares one cookie jar between this server and others, so
        // this server's session cookie has a name of its own.
        context.getSessionHandler().setSessionCookie("AS_SESSION");
        context.addEventListener(new ContextLoaderListener(spring)); // refreshed on start, closed on stop
        // Before Spring Security: a browser's preflight carries no credentials and must not meet the login.
        // Registration's limits read the body before anything may refuse it (the CORS check included).
        context.addFilter(new FilterHolder(new RegistrationLimits(clock)), "/oauth2/register",
                EnumSet.of(DispatcherType.REQUEST));
        context.addFilter(new FilterHolder(BrowserClients.corsFilter()), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addFilter(new FilterHolder(new RedirectUris(settings.clients())), "/oauth2/authorize",
                EnumSet.of(DispatcherType.REQUEST));
        FilterHolder security = new FilterHolder(new DelegatingFilterProxy("springSecurityFilterChain", spring));
        security.setAsyncSupported(true);
        context.addFilter(security, "/*", EnumSet.of(DispatcherType.REQUEST));
        jetty.setHandler(context);
        try {
            jetty.start();
        } catch (Exception e) {
            jetty.stop();
            throw e;
        }
        return new AuthServer(jetty, actualPort, settings);
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>}: the {@code iss} of every token, and where its metadata is. */
    public URI issuer() {
        return URI.create(settings.issuer());
    }

    /** The resource its tokens are for, or null before {@link #resource(URI)}. */
    public String resource() {
        return settings.resource();
    }

    /**
     * Names the MCP server (its canonical URL) that this server issues tokens for: the only {@code resource} it
     * accepts, and the {@code aud} of every access token. Tests may change it to get a token for another resource.
     */
    public void resource(URI resource) {
        settings.resource = Objects.requireNonNull(resource, "resource").toString();
    }

    /** The users this server knows, in order: alice, bob, carol. */
    public static Map<String, java.util.Set<String>> users() {
        return Users.ALLOWED_SCOPES;
    }

    /** The password of a user, for the demo and the tests (and {@code serve}, which prints it once). */
    public String password(String user) {
        return settings.users().password(user);
    }

    /** True when the user's password came from {@code AS_PASSWORD_<USER>} rather than being generated. */
    public boolean passwordFromEnvironment(String user) {
        return settings.users().fromEnvironment(user);
    }

    /** How many clients are registered now (at most {@value RegisteredClients#CAPACITY}). */
    public int registeredClients() {
        return settings.clients().size();
    }

    public String currentKid() {
        return settings.keys().currentKid();
    }

    /** Signs new tokens with a fresh RSA key (a new {@code kid}); the previous key stays published in the JWKS. */
    public String rotateSigningKey() {
        return settings.keys().rotate();
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
    }
}
