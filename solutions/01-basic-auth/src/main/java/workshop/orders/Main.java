package workshop.orders;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import workshop.orders.client.OrdersClient;
import workshop.orders.demo.Demo;
import workshop.orders.server.Orders;
import workshop.orders.server.OrdersServer;

/**
 * Command line of the orders desk, exercise 01: {@code demo} (the default), {@code serve} or {@code client}.
 * Reads the environment and hands over; the work is done by the classes it calls.
 */
public final class Main {

    private static final String USAGE = """
            usage: (no argument)              run the demo transcript
                   serve                      run the server until Ctrl+C
                   client [URL [TOOL [NAME=VALUE ...]]]
                                              call a running server (secret from MCP_SECRET),
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
            default -> throw new IllegalArgumentException("unknown command '" + command + "'\n" + USAGE);
        };
    }

    private static int serve(Config config) throws Exception {
        OrdersServer server = OrdersServer.start(config.host(), config.port(), Orders.seeded(),
                config.allowedOrigins(), Wiring.layers(config.secret(), config.previousSecret()));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception ignored) {
                // the JVM is exiting; nothing left to report to
            }
        }));
        URI url = server.endpoint();
        System.out.println("Orders desk MCP server (exercise 01) listening on " + url);
        if (config.secretGenerated()) {
            System.out.println("MCP_SECRET was not set, so this run uses a random secret (shown only here):");
            System.out.println();
            System.out.println("  export MCP_SECRET=" + config.secret());
        } else {
            System.out.println("Clients must send the secret from MCP_SECRET.");
        }
        if (config.previousSecret() != null) {
            System.out.println("Until you unset MCP_PREVIOUS_SECRET, the previous secret gets in too; its use is"
                    + " logged, at most once a minute and without the secret: when the lines stop, retire it.");
        }
        System.out.println();
        System.out.println("Try it from another terminal, with MCP_SECRET set there too:");
        System.out.println("  npx @modelcontextprotocol/inspector@0.21.2 --cli " + url
                + " --transport http --header \"Authorization: Bearer $MCP_SECRET\" --method tools/list");
        System.out.println("  or the ./mvnw command that started this server, with -Dexec.args=\"client " + url + "\"");
        System.out.println("Stop with Ctrl+C.");
        server.join();
        return 0;
    }

    private static int client(Config config, List<String> args) {
        if (config.secretGenerated()) {
            throw new IllegalArgumentException("set MCP_SECRET to the secret the server printed");
        }
        URI url = URI.create(args.size() > 0 ? args.get(0)
                : "http://127.0.0.1:" + config.port() + OrdersServer.MCP_PATH);
        String tool = args.size() > 1 ? args.get(1) : "list_orders";
        Map<String, Object> arguments = toolArguments(args.subList(Math.min(2, args.size()), args.size()));
        try (OrdersClient client = OrdersClient.connect(url, config.secret())) {
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
