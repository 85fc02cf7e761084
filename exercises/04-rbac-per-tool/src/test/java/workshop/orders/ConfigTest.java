package workshop.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Configuration from the environment")
class ConfigTest {

    private static final String LONG_ENOUGH = "a-jwt-secret-of-at-least-32-bytes!";

    @Test
    @DisplayName("04.0 with nothing set it binds to 127.0.0.1:8080 and generates a 256-bit secret")
    void given_defaults() {
        Config config = Config.from(Map.of());
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.secretGenerated()).isTrue();
        assertThat(config.secret()).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(Config.from(Map.of()).secret()).isNotEqualTo(config.secret());
    }

    @Test
    @DisplayName("04.0 MCP_HOST, MCP_PORT, JWT_SECRET, MCP_ALLOWED_ORIGINS, MCP_USER and MCP_PASSWORD are read")
    void given_readsTheEnvironment() {
        Config config = Config.from(Map.of("MCP_HOST", "::1", "MCP_PORT", "9001", "JWT_SECRET", LONG_ENOUGH,
                "MCP_ALLOWED_ORIGINS", "https://a.example, https://b.example", "MCP_USER", "bob",
                "MCP_PASSWORD", "bobs-password"));
        assertThat(config.host()).isEqualTo("::1");
        assertThat(config.port()).isEqualTo(9001);
        assertThat(config.secret()).isEqualTo(LONG_ENOUGH);
        assertThat(config.secretGenerated()).isFalse();
        assertThat(config.allowedOrigins()).containsExactlyInAnyOrder("https://a.example", "https://b.example");
        assertThat(config.user()).isEqualTo("bob");
        assertThat(config.password()).isEqualTo("bobs-password");
    }

    @Test
    @DisplayName("04.0 a bad port fails with one sentence naming MCP_PORT")
    void given_badPort() {
        for (String port : new String[] {"abc", "-1", "65536", "80.5"}) {
            assertThatThrownBy(() -> Config.from(Map.of("MCP_PORT", port)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("MCP_PORT must be a number from 0 to 65535")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    @DisplayName("04.0 a JWT_SECRET under 32 bytes fails with one sentence that does not echo it")
    void given_weakSecret() {
        for (String secret : new String[] {"secret123", "x".repeat(31), "\u00e9".repeat(15)}) {
            assertThatThrownBy(() -> Config.from(Map.of("JWT_SECRET", secret)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("JWT_SECRET must be at least 32 bytes long, the size of an HS256 key (unset it to"
                            + " get a random one)")
                    .hasMessageNotContaining(secret);
        }
        // Bytes count, not characters: 16 two-byte characters are 32 bytes.
        assertThat(Config.from(Map.of("JWT_SECRET", "\u00e9".repeat(16))).secretGenerated()).isFalse();
        assertThat(Config.from(Map.of("JWT_SECRET", "x".repeat(32))).secret()).hasSize(32);
    }

    @Test
    @DisplayName("04.0 toString() never shows the secret or the password")
    void given_toStringHidesTheSecret() {
        Config config = Config.from(Map.of("JWT_SECRET", LONG_ENOUGH, "MCP_PASSWORD", "bobs-password"));
        assertThat(config.toString()).doesNotContain(LONG_ENOUGH).doesNotContain("bobs-password").contains("(hidden)");
    }
}
