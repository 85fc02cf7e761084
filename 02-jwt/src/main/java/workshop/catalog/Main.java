package workshop.catalog;

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
import workshop.catalog.auth.jwt.UserDirectory;
import workshop.catalog.client.CatalogClient;
import workshop.catalog.demo.Demo;
import workshop.catalog.server.Catalog;
import workshop.catalog.server.CatalogServer;

/**
 * Command line of step 02: {@code demo} (the default), {@code serve}, {@code client} or {@code hash-password}.
 * Reads the environment and hands over; the work is done by the classes it calls.
 */
public final class Main {

    private static final String USAGE = """
            usage: (no argument)              run the demo transcript
                   serve                      run the server until Ctrl+C
                   client [URL [TOOL [NAME=VALUE ...]]]
                                              call a running server (as MCP_USER with MCP_PASSWORD),
                                              e.g. client http://127.0.0.1:8080/mcp delete_product id=2
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
        Wiring wiring = Wiring.create(config.secret(), Clock.systemUTC(), UserDirectory.fromResource());
        CatalogServer server = CatalogServer.start(config.host(), config.port(), Catalog.seeded(),
                config.allowedOrigins(), wiring.layers());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception ignored) {
                // the JVM is exiting; nothing left to report to
            }
        }));
        URI url = server.endpoint();
        System.out.println("Catalog MCP server (step 02) listening on " + url);
        if (config.secretGenerated()) {
            // Nobody but this server needs the signing key, so it is not printed.
            System.out.println("JWT_SECRET was not set, so this run signs tokens with a random key: they stop"
                    + " working when the server stops.");
        }
        System.out.println();
        System.out.println("Get an access token from another terminal (users and passwords: 02-jwt/README.md):");
        System.out.println("  curl -s -X POST " + url.resolve("/auth/token") + " -H 'Content-Type: application/json' \\");
        System.out.println("       -d '{\"username\":\"bob\",\"password\":\"<password of bob>\"}'");
        System.out.println("  export TOKEN=<the access_token of the answer>");
        System.out.println("Then:");
        System.out.println("  npx @modelcontextprotocol/inspector@0.21.2 --cli " + url
                + " --transport http --header \"Authorization: Bearer $TOKEN\" --method tools/list");
        System.out.println("  MCP_USER=bob MCP_PASSWORD='<password of bob>' ./mvnw -q -pl 02-jwt exec:exec"
                + " -Dexec.args=\"client " + url + "\"");
        System.out.println("Stop with Ctrl+C.");
        server.join();
        return 0;
    }

    private static int client(Config config, List<String> args) {
        if (config.user() == null || config.password() == null) {
            throw new IllegalArgumentException("set MCP_USER and MCP_PASSWORD to a user of the server (see"
                    + " 02-jwt/README.md)");
        }
        URI url = URI.create(args.size() > 0 ? args.get(0)
                : "http://127.0.0.1:" + config.port() + CatalogServer.MCP_PATH);
        String tool = args.size() > 1 ? args.get(1) : "list_products";
        Map<String, Object> arguments = toolArguments(args.subList(Math.min(2, args.size()), args.size()));
        try (CatalogClient client = CatalogClient.connect(url, CatalogClient.login(url, config.user(),
                config.password()))) {
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
