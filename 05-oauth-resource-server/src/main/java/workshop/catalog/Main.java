package workshop.catalog;

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
import workshop.catalog.auth.resourceserver.ProtectedResource;
import workshop.catalog.authserver.AuthServer;
import workshop.catalog.client.CatalogClient;
import workshop.catalog.client.HeadlessLogin;
import workshop.catalog.client.UserAgent;
import workshop.catalog.demo.Demo;
import workshop.catalog.server.Catalog;
import workshop.catalog.server.CatalogServer;

/**
 * Command line of step 05: {@code demo} (the default), {@code serve} or {@code client}.
 * Reads the environment and hands over; the work is done by the classes it calls.
 */
public final class Main {

    private static final String USAGE = """
            usage: (no argument)              run the demo transcript
                   serve                      run the authorization server and the MCP server until Ctrl+C
                   client [URL [TOOL [NAME=VALUE ...]]]
                                              discover the authorization server of a running MCP server from its
                                              401, log in as MCP_USER with MCP_PASSWORD (the login form submitted
                                              headlessly), and call a tool (a 403 asks once for more scopes),
                                              e.g. client http://127.0.0.1:8080/mcp delete_product id=2""";

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
        AuthServer authServer = AuthServer.start(config.authPort(), System.getenv());
        Wiring wiring = Wiring.create(authServer.issuer(), Clock.systemUTC());
        CatalogServer server;
        try {
            server = CatalogServer.start(config.host(), config.port(), Catalog.seeded(), config.allowedOrigins(),
                    wiring::layers);
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
        System.out.println("Catalog MCP server (step 05) listening on " + url);
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
                + " 2.12.0 (Node 22; its web UI sends you to the login page, and asks for more scopes when a call needs"
                + " them):");
        System.out.println("  npx @modelcontextprotocol/inspector@2.12.0 --web --transport http --server-url " + url);
        System.out.println("or this step's client (it logs in by submitting the login form itself):");
        System.out.println("  MCP_USER=carol MCP_PASSWORD='<password of carol>' ./mvnw -q -pl 05-oauth-resource-server"
                + " exec:exec -Dexec.args=\"client " + url + " list_products\"");
        System.out.println("A call needing a scope the token lacks is refused with HTTP 403 insufficient_scope: carol"
                + " lists, bob also creates, alice also deletes.");
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
                : "http://127.0.0.1:" + config.port() + CatalogServer.MCP_PATH);
        String tool = args.size() > 1 ? args.get(1) : "list_products";
        Map<String, Object> arguments = toolArguments(args.subList(Math.min(2, args.size()), args.size()));
        UserAgent user = new HeadlessLogin(config.user(), config.password());
        try (CatalogClient client = CatalogClient.connect(url, user, (request, result) ->
                System.out.println("-> " + request + "\n   " + result))) {
            System.out.println("tools: " + String.join(", ", client.toolNames()));
            CallToolResult result = client.call(tool, arguments);
            System.out.println(tool + (Boolean.TRUE.equals(result.isError()) ? " (tool error): " : ": ")
                    + CatalogClient.text(result));
            return Boolean.TRUE.equals(result.isError()) ? 1 : 0;
        } catch (RuntimeException e) {
            System.err.println("refused: " + CatalogClient.explain(e));
            return 1;
        }
    }

    /** {@code name=Lamp price=12.5} as tool arguments: numbers become numbers, anything else a string. */
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
