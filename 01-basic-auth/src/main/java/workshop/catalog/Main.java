package workshop.catalog;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Command line of step 01: {@code demo} (the default), {@code serve} or {@code client}.
 * Reads the environment and hands over; the work is done by the classes it calls.
 */
public final class Main {

    private static final String USAGE = """
            usage: (no argument)              run the demo transcript
                   serve                      run the server until Ctrl+C
                   client [URL [TOOL [JSON]]] call a running server (secret from MCP_SECRET)""";

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        int exit;
        try {
            exit = run(args, Config.from(System.getenv()));
        } catch (IllegalArgumentException badInput) {
            System.err.println("error: " + badInput.getMessage());
            exit = 2;
        }
        // Exit explicitly: the SDK's server transport leaves a non-daemon session-sweeper thread
        // behind after it is closed, which would keep the JVM (and exec:java) waiting forever.
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
        CatalogServer server = CatalogServer.start(config.host(), config.port(), Catalog.seeded(),
                config.allowedOrigins(), List.of(new BearerSecretFilter(config.secret())));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception ignored) {
                // the JVM is exiting; nothing left to report to
            }
        }));
        URI url = server.endpoint();
        System.out.println("Catalog MCP server (step 01) listening on " + url);
        if (config.secretGenerated()) {
            System.out.println("MCP_SECRET was not set, so this run uses a random secret (shown only here):");
            System.out.println();
            System.out.println("  export MCP_SECRET=" + config.secret());
        } else {
            System.out.println("Clients must send the secret from MCP_SECRET.");
        }
        System.out.println();
        System.out.println("Try it from another terminal (after the export above):");
        System.out.println("  ./mvnw -q -pl 01-basic-auth exec:java -Dexec.args=\"client " + url + "\"");
        System.out.println("  npx @modelcontextprotocol/inspector@0.21.2 --cli " + url
                + " --transport http --header \"Authorization: Bearer $MCP_SECRET\" --method tools/list");
        System.out.println("Stop with Ctrl+C.");
        server.join();
        return 0;
    }

    private static int client(Config config, List<String> args) throws IOException {
        if (config.secretGenerated()) {
            throw new IllegalArgumentException("set MCP_SECRET to the secret the server printed");
        }
        URI url = URI.create(args.size() > 0 ? args.get(0)
                : "http://127.0.0.1:" + config.port() + CatalogServer.MCP_PATH);
        String tool = args.size() > 1 ? args.get(1) : "list_products";
        Map<String, Object> arguments = args.size() > 2 ? parseArguments(args.get(2)) : Map.of();
        try (CatalogClient client = CatalogClient.connect(url, config.secret())) {
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

    private static Map<String, Object> parseArguments(String json) {
        try {
            return McpJsonDefaults.getMapper().readValue(json, new TypeRef<Map<String, Object>>() {
            });
        } catch (IOException | RuntimeException notJson) {
            throw new IllegalArgumentException("tool arguments must be a JSON object, e.g. '{\"id\": 1}'");
        }
    }
}
