package workshop.orders;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import workshop.orders.auth.resourceserver.ProtectedResource;
import workshop.orders.auth.resourceserver.RecentLogin;
import workshop.orders.authserver.AuthServer;
import workshop.orders.client.AuthorizationCodeFlow;
import workshop.orders.client.OrdersClient;
import workshop.orders.demo.Demo;
import workshop.orders.server.Orders;
import workshop.orders.server.OrdersServer;

/**
 * Command line of the orders desk, exercise 05: {@code demo} (the default), {@code serve} or {@code client}.
 * Reads the environment and hands over; the work is done by the classes it calls.
 */
public final class Main {

    private static final String USAGE = """
            usage: (no argument)              run the demo transcript
                   serve                      run the authorization server and the MCP server until Ctrl+C
                   client [URL [TOOL [NAME=VALUE ...]]]
                                              discover the authorization server of a running MCP server, log in
                                              as MCP_USER with MCP_PASSWORD, and call a tool,
                                              e.g. client http://127.0.0.1:8080/mcp cancel_order id=2""";

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (Boolean.getBoolean("workshop.endWithBuild")) {
            // Started by the build (exec:exec): end with it, so that a kill of Maven alone leaves no server running.
            ProcessHandle.current().parent().ifPresent(build -> build.onExit().thenRun(() -> System.exit(143)));
        }
        int exit;
        try {
            exit = run(args, Config.from(System.getenv()));
        } catch (IllegalArgumentException badInput) {
            System.err.println("error: " + badInput.getMessage());
            exit = 2;
        } catch (IOException cannotListen) {
            // Jetty reports a taken port as "Failed to bind to /127.0.0.1:8080" wrapping a BindException.
            System.err.println("error: " + cannotListen.getMessage() + " (is the port in use? set MCP_PORT or AS_PORT"
                    + " to another port, or to 0 for any free one)");
            exit = 2;
        }
        // Exit explicitly: the SDK's server transport leaves a non-daemon session-sweeper thread
        // behind after it is closed, which would keep the JVM (and the build that started it) waiting forever.
        System.exit(exit);
    }

    static int run(String[] args, Config config) throws Exception {
        String command = args.length == 0 ? "demo" : args[0];
        List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
        return switch (command) {
            case "demo" -> Demo.run(System.out, config);
            case "serve" -> serve(config);
            case "client" -> client(config, rest);
            default -> throw new IllegalArgumentException("unknown command '" + command + "'\n" + USAGE);
        };
    }

    private static int serve(Config config) throws Exception {
        AuthServer authServer = AuthServer.start(config.authPort(), System.getenv(), Clock.systemUTC());
        Wiring wiring = Wiring.create(authServer.issuer(), Clock.systemUTC());
        Orders orders = Orders.seeded();
        OrdersServer server;
        try {
            server = OrdersServer.start(config.host(), config.port(), orders, config.allowedOrigins(),
                    endpoint -> wiring.layers(orders, endpoint));
        } catch (Exception e) {
            authServer.close();
            throw e;
        }
        authServer.resource(server.endpoint());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
                authServer.close();
            } catch (Exception ignored) {
                // the JVM is exiting; nothing left to report to
            }
        }));
        URI url = server.endpoint();
        System.out.println("Orders desk MCP server (exercise 05) listening on " + url);
        System.out.println("  its resource metadata: " + ProtectedResource.metadataUrl(url));
        System.out.println("Authorization server (a stand-in for a company identity provider) at " + authServer.issuer());
        System.out.println("  its metadata: " + authServer.issuer().resolve("/.well-known/oauth-authorization-server"));
        System.out.println();
        System.out.println("Users (log in on the authorization server's page when a client sends you there):");
        AuthServer.users().forEach((user, scopes) -> System.out.println("  " + user + "  may be granted "
                + String.join(", ", new TreeSet<>(scopes)) + "; password: " + (authServer.passwordFromEnvironment(user)
                ? "the one in AS_PASSWORD_" + user.toUpperCase(Locale.ROOT) : authServer.password(user)
                        + " (generated for this run; set AS_PASSWORD_" + user.toUpperCase(Locale.ROOT) + " to choose one)")));
        System.out.println();
        System.out.println("Connect a client that discovers the authorization server by itself, e.g. the MCP Inspector"
                + " 2.12.0 (Node 22; its web UI sends you to the login page):");
        System.out.println("  npx @modelcontextprotocol/inspector@2.12.0 --web --transport http --server-url " + url);
        System.out.println("or this step's client:");
        System.out.println("  MCP_USER=carol MCP_PASSWORD='<password of carol>' ./mvnw -q -pl exercises/05-oauth-resource-server"
                + " exec:exec -Dexec.args=\"client " + url + " cancel_order id=2\"");
        System.out.println("A call needing a scope the token lacks is refused with HTTP 403 insufficient_scope: carol"
                + " lists, bob also places and cancels the orders he placed, alice cancels any. cancel_order also needs"
                + " a login within the last " + RecentLogin.MAX_AGE.toMinutes() + " minutes (401"
                + " insufficient_user_authentication otherwise): log in again.");
        System.out.println("Stop with Ctrl+C.");
        server.join();
        return 0;
    }

    private static int client(Config config, List<String> args) {
        if (config.user() == null || config.password() == null) {
            throw new IllegalArgumentException("set MCP_USER and MCP_PASSWORD to a user of the authorization server"
                    + " (serve prints them)");
        }
        URI url = URI.create(args.size() > 0 ? args.get(0)
                : "http://127.0.0.1:" + config.port() + OrdersServer.MCP_PATH);
        String tool = args.size() > 1 ? args.get(1) : "list_orders";
        Map<String, Object> arguments = toolArguments(args.subList(Math.min(2, args.size()), args.size()));
        try {
            AuthorizationCodeFlow.Challenge challenge = AuthorizationCodeFlow.challenge(url);
            URI metadata = URI.create(challenge.parameters().getOrDefault("resource_metadata", ""));
            if (challenge.status() != 401 || !metadata.isAbsolute()) {
                System.err.println("refused: " + url + " answered " + challenge.status() + " without resource metadata");
                return 1;
            }
            AuthorizationCodeFlow.ServerMetadata server = AuthorizationCodeFlow.serverMetadata(
                    AuthorizationCodeFlow.resourceMetadata(metadata, url).authorizationServer());
            String scope = String.join(" ", Wiring.SCOPES);
            AuthorizationCodeFlow.Granted granted = AuthorizationCodeFlow.authorize(server,
                    AuthorizationCodeFlow.register(server), url, scope, config.user(), config.password());
            System.out.println("granted: " + String.join(" ", granted.scopes()));
            try (OrdersClient client = OrdersClient.connect(url, granted.accessToken())) {
                System.out.println("tools: " + String.join(", ", client.toolNames()));
                CallToolResult result = client.call(tool, arguments);
                System.out.println(tool + (Boolean.TRUE.equals(result.isError()) ? " (tool error): " : ": ")
                        + OrdersClient.text(result));
                return Boolean.TRUE.equals(result.isError()) ? 1 : 0;
            }
        } catch (RuntimeException e) {
            System.err.println("refused: " + OrdersClient.explain(e));
            return 1;
        }
    }

    /** {@code product=Lamp quantity=3} as tool arguments: numbers become numbers, anything else a string. */
    private static Map<String, Object> toolArguments(List<String> pairs) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        for (String pair : pairs) {
            int equals = pair.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("tool arguments are NAME=VALUE pairs, e.g. id=2, not '" + pair + "'");
            }
            String value = pair.substring(equals + 1);
            arguments.put(pair.substring(0, equals), value.matches("-?\\d{1,9}") ? Integer.valueOf(value)
                    : value.matches("-?\\d+\\.\\d+") ? Double.valueOf(value) : value);
        }
        return arguments;
    }
}
