package workshop.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Configuration from the environment")
class ConfigTest {

    @Test
    @DisplayName("03.0 with nothing set it binds to 127.0.0.1:8080, allows no browser origin and logs in nobody")
    void given_defaults() {
        Config config = Config.from(Map.of());
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.allowedOrigins()).isEmpty();
        assertThat(config.user()).isNull();
        assertThat(config.password()).isNull();
    }

    @Test
    @DisplayName("03.0 MCP_HOST, MCP_PORT, MCP_ALLOWED_ORIGINS, MCP_USER and MCP_PASSWORD are read")
    void given_readsTheEnvironment() {
        Config config = Config.from(Map.of("MCP_HOST", "::1", "MCP_PORT", "9001",
                "MCP_ALLOWED_ORIGINS", "https://a.example, https://b.example", "MCP_USER", "bob",
                "MCP_PASSWORD", "bobs-password"));
        assertThat(config.host()).isEqualTo("::1");
        assertThat(config.port()).isEqualTo(9001);
        assertThat(config.allowedOrigins()).containsExactlyInAnyOrder("https://a.example", "https://b.example");
        assertThat(config.user()).isEqualTo("bob");
        assertThat(config.password()).isEqualTo("bobs-password");
    }

    @Test
    @DisplayName("03.0 a bad port fails with one sentence naming MCP_PORT")
    void given_badPort() {
        for (String port : new String[] {"abc", "-1", "65536", "80.5"}) {
            assertThatThrownBy(() -> Config.from(Map.of("MCP_PORT", port)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("MCP_PORT must be a number from 0 to 65535")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    @DisplayName("03.0 toString() never shows the password")
    void given_toStringHidesThePassword() {
        Config config = Config.from(Map.of("MCP_PASSWORD", "bobs-password"));
        assertThat(config.toString()).doesNotContain("bobs-password").contains("(hidden)");
    }
}
