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
 */
public record Config(String host, int port, String secret, boolean secretGenerated, String previousSecret,
        Set<String> allowedOrigins) {

    public static final int DEFAULT_PORT = 8080;
    static final int MIN_SECRET_LENGTH = 16;

    public static Config from(Map<String, String> env) {
        String host = value(env, "MCP_HOST", "127.0.0.1");
        int port = port(value(env, "MCP_PORT", String.valueOf(DEFAULT_PORT)));
        String secret = secret(env, "MCP_SECRET", "unset it to get a random one");
        boolean generated = secret == null;
        if (generated) {
            secret = randomSecret();
        }
        // Rotation: the secret clients used before MCP_SECRET, let in until the last client has moved on.
        String previous = secret(env, "MCP_PREVIOUS_SECRET", "unset it when no client uses it any more");
        if (secret.equals(previous)) {
            throw new IllegalArgumentException("MCP_PREVIOUS_SECRET must differ from MCP_SECRET (it is the secret"
                    + " being retired; unset it when no client uses it any more)");
        }
        Set<String> origins = Arrays.stream(value(env, "MCP_ALLOWED_ORIGINS", "").split(","))
                .map(String::strip)
                .filter(origin -> !origin.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        return new Config(host, port, secret, generated, previous, origins);
    }

    /** 256 random bits, base64url: safe to put in a header, impossible to guess. */
    public static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The variable's secret, or null when it is unset or empty; one sentence when it is too weak. */
    private static String secret(Map<String, String> env, String name, String whenUnset) {
        String secret = env.get(name);
        if (secret == null || secret.isEmpty()) {
            return null;
        }
        if (secret.length() < MIN_SECRET_LENGTH || !secret.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException(name + " must be at least " + MIN_SECRET_LENGTH
                    + " printable ASCII characters without spaces (" + whenUnset + ")");
        }
        return secret;
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
        // A record prints every field; the secrets must not end up in a log line that way.
        return "Config[host=" + host + ", port=" + port + ", secret=(hidden), previousSecret="
                + (previousSecret == null ? "(none)" : "(hidden)") + ", allowedOrigins=" + allowedOrigins + "]";
    }
}
