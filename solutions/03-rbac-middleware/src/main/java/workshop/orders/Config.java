package workshop.orders;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Settings read from the environment (docs/design.md#run-contract). Anything invalid is refused here with one
 * sentence that says which variable is wrong and what it should be.
 *
 * @param user     who {@code client} logs in as (MCP_USER), or null
 * @param password that user's password (MCP_PASSWORD), or null
 */
public record Config(String host, int port, Set<String> allowedOrigins, String user, String password) {

    public static final int DEFAULT_PORT = 8080;

    public static Config from(Map<String, String> env) {
        String host = value(env, "MCP_HOST", "127.0.0.1");
        int port = port(value(env, "MCP_PORT", String.valueOf(DEFAULT_PORT)));
        Set<String> origins = Arrays.stream(value(env, "MCP_ALLOWED_ORIGINS", "").split(","))
                .map(String::strip)
                .filter(origin -> !origin.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        return new Config(host, port, origins, env.get("MCP_USER"), env.get("MCP_PASSWORD"));
    }

    /** 256 random bits, base64url: safe to put in a header, impossible to guess. */
    public static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static int port(String text) {
        try {
            int port = Integer.parseInt(text.strip());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException notANumber) {
            // reported below with the same sentence as an out-of-range number
        }
        throw new IllegalArgumentException("MCP_PORT must be a number from 0 to 65535 (0 picks a free port), not '"
                + text + "'");
    }

    private static String value(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    @Override
    public String toString() {
        // A record prints every field; the password must not end up in a log line that way.
        return "Config[host=" + host + ", port=" + port + ", allowedOrigins=" + allowedOrigins
                + ", user=" + user + ", password=(hidden)]";
    }
}
