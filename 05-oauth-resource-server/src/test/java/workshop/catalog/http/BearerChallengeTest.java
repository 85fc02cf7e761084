package workshop.catalog.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.catalog.client.AuthorizationCodeFlow;

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

    @Test
    @DisplayName("the step's client reads every parameter back as it was sent, escaped quotes and backslashes included")
    void theClientReadsItBack() {
        String description = "claim \"aud\" is \\ wrong\"";
        Map<String, String> read = AuthorizationCodeFlow.parameters(BearerChallenge.bearer()
                .with("resource_metadata", "http://127.0.0.1:8080/x").with("error_description", description)
                .with("scope", "catalog.read").toString());
        assertThat(read).containsExactly(Map.entry("realm", "mcp"),
                Map.entry("resource_metadata", "http://127.0.0.1:8080/x"), Map.entry("error_description", description),
                Map.entry("scope", "catalog.read"));
    }
}
