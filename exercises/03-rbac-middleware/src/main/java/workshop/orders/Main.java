package workshop.orders;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import workshop.orders.auth.jwt.TokenService;
import workshop.orders.auth.jwt.UserDirectory;
import workshop.orders.auth.permissions.PermissionFilter;
import workshop.orders.client.OrdersClient;
import workshop.orders.demo.Demo;
import workshop.orders.server.Orders;
import workshop.orders.server.OrdersServer;

/**
 * Command line of the orders desk, exercise 03: {@code demo} (the default), {@code serve}, {@code client} or
 * {@code hash-password}.
 * Reads the environment and hands over; the work is done by the classes it calls.
 */
public final class Main {

    private static final String USAGE = """
            usage: (no argument)              run the demo transcript
                   serve                      run the server until Ctrl+C
                   client [URL [TOOL [NAME=VALUE ...]]]
                                              call a running server (as MCP_USER with MCP_PASSWORD),
                                              e.g. client http://127.0.0.1:8080/mcp cancel_order id=2
                   hash-password              read a password from standard input, print its users.json entry""";

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
            System.err.println("error: " + cannotListen.getMessage() + " (is the port in use? set MCP_PORT to another"
                    + " port, or to 0 for any free one)");
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
            case "hash-password" -> hashPassword();
            default -> throw new IllegalArgumentException("unknown command '" + command + "'\n" + USAGE);
        };
    }

    private static int serve(Config config) throws Exception {
        Wiring wiring = Wiring.create(TokenService.newKeyPair(), Clock.systemUTC(), UserDirectory.fromResource());
        OrdersServer server = OrdersServer.start(config.host(), config.port(), Orders.seeded(),
                config.allowedOrigins(), wiring.layers());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception ignored) {
                // the JVM is exiting; nothing left to report to
            }
        }));
        URI url = server.endpoint();
        System.out.println("Orders desk MCP server (exercise 03) listening on " + url);
        // Nobody but this server needs the private key, so it lives in memory only, and is never printed.
        System.out.println("This run signs tokens with a new ES256 key pair: they stop working when the server"
                + " stops.");
        System.out.println();
        System.out.println("Get an access token from another terminal (users and passwords:"
                + " exercises/03-rbac-middleware/README.md):");
        System.out.println("  curl -s -X POST " + url.resolve("/auth/token") + " -H 'Content-Type: application/json' \\");
        System.out.println("       -d '{\"username\":\"bob\",\"password\":\"<password of bob>\"}'");
        System.out.println("  export TOKEN=<the access_token of the answer>");
        System.out.println("Then:");
        System.out.println("  npx @modelcontextprotocol/inspector@0.21.2 --cli " + url
                + " --transport http --header \"Authorization: Bearer $TOKEN\" --method tools/list");
        System.out.println("  or the ./mvnw command that started this server, with MCP_USER=bob MCP_PASSWORD='<password"
                + " of bob>' in front and -Dexec.args=\"client " + url + " whoami\"");
        System.out.println(OrdersServer.MCP_PATH + " needs " + PermissionFilter.USER_READ + ": alice and bob have it;"
                + " carol (Guest.Read only) logs in but gets 403.");
        System.out.println("Stop with Ctrl+C.");
        server.join();
        return 0;
    }

    private static int client(Config config, List<String> args) {
        if (config.user() == null || config.password() == null) {
            throw new IllegalArgumentException("set MCP_USER and MCP_PASSWORD to a user of the server (see"
                    + " exercises/03-rbac-middleware/README.md)");
        }
        URI url = URI.create(args.size() > 0 ? args.get(0)
                : "http://127.0.0.1:" + config.port() + OrdersServer.MCP_PATH);
        String tool = args.size() > 1 ? args.get(1) : "list_orders";
        Map<String, Object> arguments = toolArguments(args.subList(Math.min(2, args.size()), args.size()));
        try (OrdersClient client = OrdersClient.connect(url, OrdersClient.login(url, config.user(),
                config.password()))) {
            System.out.println("tools: " + String.join(", ", client.toolNames()));
            CallToolResult result = client.call(tool, arguments);
            System.out.println(tool + (Boolean.TRUE.equals(result.isError()) ? " (tool error): " : ": ")
                    + OrdersClient.text(result));
            return Boolean.TRUE.equals(result.isError()) ? 1 : 0;
        } catch (RuntimeException e) {
            System.err.println("refused: " + OrdersClient.explain(e));
            return 1;
        }
    }

    /** Prints the users.json {@code passwordHash} entry for a password read from standard input. */
    private static int hashPassword() {
        System.err.println("Type the new password and press Enter:");
        try {
            String password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (password == null || password.length() < 12) {
                throw new IllegalArgumentException("give a password of at least 12 characters on standard input");
            }
            UserDirectory.PasswordHash hash = UserDirectory.PasswordHash.of(password,
                    UserDirectory.RECOMMENDED_ITERATIONS);
            System.out.println("\"passwordHash\": " + McpJsonDefaults.getMapper().writeValueAsString(hash));
            return 0;
        } catch (IOException unreadable) {
            throw new IllegalArgumentException("cannot read the password from standard input");
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
