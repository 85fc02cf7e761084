package workshop.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("05.0 Configuration from the environment")
class ConfigTest {

    @Test
    @DisplayName("05.0 with nothing set the MCP server binds to 127.0.0.1:8080 and the AS to port 9000")
    void defaults() {
        Config config = Config.from(Map.of());
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.authPort()).isEqualTo(9000);
        assertThat(config.allowedOrigins()).isEmpty();
    }

    @Test
    @DisplayName("05.0 MCP_HOST, MCP_PORT, AS_PORT, MCP_ALLOWED_ORIGINS, MCP_USER and MCP_PASSWORD are read")
    void readsTheEnvironment() {
        Config config = Config.from(Map.of("MCP_HOST", "::1", "MCP_PORT", "9001", "AS_PORT", "0",
                "MCP_ALLOWED_ORIGINS", "https://a.example, https://b.example", "MCP_USER", "bob",
                "MCP_PASSWORD", "bobs-password"));
        assertThat(config.host()).isEqualTo("::1");
        assertThat(config.port()).isEqualTo(9001);
        assertThat(config.authPort()).isZero();
        assertThat(config.allowedOrigins()).containsExactlyInAnyOrder("https://a.example", "https://b.example");
        assertThat(config.user()).isEqualTo("bob");
        assertThat(config.password()).isEqualTo("bobs-password");
    }

    @Test
    @DisplayName("05.0 a bad port fails with one sentence naming MCP_PORT or AS_PORT")
    void badPort() {
        for (String name : new String[] {"MCP_PORT", "AS_PORT"}) {
            for (String port : new String[] {"abc", "-1", "65536", "80.5"}) {
                assertThatThrownBy(() -> Config.from(Map.of(name, port)))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith(name + " must be a number from 0 to 65535")
                        .hasMessageNotContaining("\n");
            }
        }
    }

    @Test
    @DisplayName("05.0 toString() never shows the password")
    void toStringHidesThePassword() {
        Config config = Config.from(Map.of("MCP_PASSWORD", "bobs-password"));
        assertThat(config.toString()).doesNotContain("bobs-password").contains("(hidden)");
    }
}
