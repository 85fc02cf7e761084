package workshop.catalog.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BearerChallengeTest {

    @Test
    @DisplayName("a challenge starts with realm=\"mcp\" and keeps its parameters in the order they were added")
    void realmFirstThenInOrder() {
        assertThat(BearerChallenge.bearer().toString()).isEqualTo("Bearer realm=\"mcp\"");
        assertThat(BearerChallenge.bearer().with("resource_metadata", "http://127.0.0.1:8080/x").with("scope", "a b")
                .with("error", null).toString())
                .isEqualTo("Bearer realm=\"mcp\", resource_metadata=\"http://127.0.0.1:8080/x\", scope=\"a b\"");
    }

    @Test
    @DisplayName("a quote or a backslash in a value is escaped: the value cannot end its parameter or add one")
    void quotesAndBackslashesAreEscaped() {
        String value = BearerChallenge.bearer().with("error", "invalid_token")
                .with("error_description", "claim \"aud\" is \\\", scope=\"admin").toString();
        assertThat(value).isEqualTo("Bearer realm=\"mcp\", error=\"invalid_token\", "
                + "error_description=\"claim \\\"aud\\\" is \\\\\\\", scope=\\\"admin\"");
    }

    @Test
    @DisplayName("CR, LF and the other control characters are dropped: a value cannot split the header")
    void controlCharactersAreDropped() {
        assertThat(BearerChallenge.bearer().with("error_description", "one\r\nSet-Cookie: x=1\u0000\t\u007f")
                .toString()).isEqualTo("Bearer realm=\"mcp\", error_description=\"oneSet-Cookie: x=1\"");
    }
}
