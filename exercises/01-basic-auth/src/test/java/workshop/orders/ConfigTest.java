package workshop.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Configuration from the environment")
class ConfigTest {

    @Test
    @DisplayName("01.0 with nothing set it binds to 127.0.0.1:8080 and generates a 256-bit secret")
    void given_defaults() {
        Config config = Config.from(Map.of());
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.secretGenerated()).isTrue();
        assertThat(config.secret()).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(Config.from(Map.of()).secret()).isNotEqualTo(config.secret());
    }

    @Test
    @DisplayName("01.0 MCP_HOST, MCP_PORT, MCP_SECRET and MCP_ALLOWED_ORIGINS are read")
    void given_readsTheEnvironment() {
        Config config = Config.from(Map.of("MCP_HOST", "::1", "MCP_PORT", "9001", "MCP_SECRET", "a-long-enough-secret",
                "MCP_ALLOWED_ORIGINS", "https://a.example, https://b.example"));
        assertThat(config.host()).isEqualTo("::1");
        assertThat(config.port()).isEqualTo(9001);
        assertThat(config.secret()).isEqualTo("a-long-enough-secret");
        assertThat(config.secretGenerated()).isFalse();
        assertThat(config.allowedOrigins()).containsExactlyInAnyOrder("https://a.example", "https://b.example");
    }

    @Test
    @DisplayName("01.0 a bad port fails with one sentence naming MCP_PORT")
    void given_badPort() {
        for (String port : new String[] {"abc", "-1", "65536", "80.5"}) {
            assertThatThrownBy(() -> Config.from(Map.of("MCP_PORT", port)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("MCP_PORT must be a number from 0 to 65535")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    @DisplayName("01.0 a short or unprintable MCP_SECRET fails with one sentence that does not echo it")
    void given_weakSecret() {
        for (String secret : new String[] {"secret123", "has spaces in the middle", "tab\tseparated-secret-value"}) {
            assertThatThrownBy(() -> Config.from(Map.of("MCP_SECRET", secret)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("MCP_SECRET must be at least 16")
                    .hasMessageNotContaining(secret);
        }
    }

    @Test
    @DisplayName("01.0 MCP_PREVIOUS_SECRET is read; unset or empty, there is no previous secret")
    void given_readsThePreviousSecret() {
        Config rotating = Config.from(Map.of("MCP_SECRET", "a-long-enough-secret",
                "MCP_PREVIOUS_SECRET", "the-secret-being-retired"));
        assertThat(rotating.secret()).isEqualTo("a-long-enough-secret");
        assertThat(rotating.previousSecret()).isEqualTo("the-secret-being-retired");
        assertThat(Config.from(Map.of("MCP_SECRET", "a-long-enough-secret")).previousSecret()).isNull();
        assertThat(Config.from(Map.of("MCP_PREVIOUS_SECRET", "")).previousSecret()).isNull();
    }

    @Test
    @DisplayName("01.0 a weak MCP_PREVIOUS_SECRET, or one equal to MCP_SECRET, fails with one sentence, not echoed")
    void given_badPreviousSecret() {
        for (String previous : new String[] {"secret123", "has spaces in the middle"}) {
            assertThatThrownBy(() -> Config.from(Map.of("MCP_PREVIOUS_SECRET", previous)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("MCP_PREVIOUS_SECRET must be at least 16")
                    .hasMessageNotContaining(previous)
                    .hasMessageNotContaining("\n");
        }
        assertThatThrownBy(() -> Config.from(Map.of("MCP_SECRET", "a-long-enough-secret",
                "MCP_PREVIOUS_SECRET", "a-long-enough-secret")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("MCP_PREVIOUS_SECRET must differ from MCP_SECRET")
                .hasMessageNotContaining("a-long-enough-secret")
                .hasMessageNotContaining("\n");
    }

    @Test
    @DisplayName("01.0 toString() never shows the secret or the previous one")
    void given_toStringHidesTheSecret() {
        Config config = Config.from(Map.of("MCP_SECRET", "a-long-enough-secret",
                "MCP_PREVIOUS_SECRET", "the-secret-being-retired"));
        assertThat(config.toString()).doesNotContain("a-long-enough-secret").doesNotContain("the-secret-being-retired")
                .contains("(hidden)");
    }
}
