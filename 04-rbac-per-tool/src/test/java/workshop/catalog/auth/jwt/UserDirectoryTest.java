package workshop.catalog.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.catalog.support.TestUsers;

@DisplayName("The user directory")
class UserDirectoryTest {

    private final TestUsers users = new TestUsers();
    private final UserDirectory directory = users.directory;

    UserDirectoryTest() throws Exception {
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> shippedUsers() throws Exception {
        try (InputStream in = UserDirectory.class.getResourceAsStream(UserDirectory.RESOURCE)) {
            Map<String, Object> file = McpJsonDefaults.getMapper().readValue(in.readAllBytes(),
                    new TypeRef<Map<String, Object>>() {
                    });
            return (List<Map<String, Object>>) file.get("users");
        }
    }

    @Test
    @DisplayName("users.json holds alice, bob and carol with the permissions of the design, enabled, at 600,000 iterations")
    @SuppressWarnings("unchecked")
    void shippedFile() throws Exception {
        Map<String, Object> permissions = new LinkedHashMap<>();
        Set<Object> salts = new HashSet<>();
        for (Map<String, Object> user : shippedUsers()) {
            permissions.put((String) user.get("username"), user.get("permissions"));
            assertThat(user.get("enabled")).isEqualTo(true);
            Map<String, Object> hash = (Map<String, Object>) user.get("passwordHash");
            assertThat(hash.get("iterations")).isEqualTo(UserDirectory.RECOMMENDED_ITERATIONS);
            assertThat(salts.add(hash.get("salt"))).as("salts are unique").isTrue();
            assertThat(user).doesNotContainKey("password");
        }
        assertThat(permissions).containsOnlyKeys("alice", "bob", "carol")
                .containsAllEntriesOf(Map.copyOf(TestUsers.PERMISSIONS));
    }

    @Test
    @DisplayName("the passwords listed in the README open the shipped accounts, and nothing else does")
    void readmePasswordsMatchTheShippedHashes() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        Matcher row = Pattern.compile("(?m)^\\| (alice|bob|carol) \\| `([^`]+)` \\|").matcher(readme);
        UserDirectory shipped = UserDirectory.fromResource();
        int found = 0;
        while (row.find()) {
            found++;
            String username = row.group(1);
            assertThat(row.group(2)).hasSizeGreaterThanOrEqualTo(12);
            assertThat(shipped.authenticate(username, row.group(2))).as(username)
                    .hasValueSatisfying(user -> assertThat(user.permissions()).isEqualTo(TestUsers.PERMISSIONS.get(username)));
            assertThat(shipped.authenticate(username, row.group(2) + "x")).as(username).isEmpty();
        }
        assertThat(found).isEqualTo(3);
    }

    @Test
    @DisplayName("the right password returns the user with name and permissions; a wrong one, an unknown name or no password return nothing")
    void authenticate() {
        assertThat(directory.authenticate("bob", users.password("bob"))).hasValue(
                new UserDirectory.User("bob", "Bob", List.of("User.Read", "User.Write")));
        assertThat(directory.authenticate("bob", users.password("alice"))).isEmpty();
        assertThat(directory.authenticate("Bob", users.password("bob"))).isEmpty();
        assertThat(directory.authenticate("mallory", users.password("bob"))).isEmpty();
        assertThat(directory.authenticate("bob", "")).isEmpty();
        assertThat(directory.authenticate("bob", null)).isEmpty();
        assertThat(directory.authenticate(null, users.password("bob"))).isEmpty();
    }

    @Test
    @DisplayName("a disabled account cannot log in and is not an enabled user, until it is enabled again")
    void disable() {
        assertThat(directory.setEnabled("carol", false)).isTrue();
        assertThat(directory.authenticate("carol", users.password("carol"))).isEmpty();
        assertThat(directory.enabledUser("carol")).isEmpty();
        assertThat(directory.enabledUser("bob")).isPresent();

        assertThat(directory.setEnabled("carol", true)).isTrue();
        assertThat(directory.authenticate("carol", users.password("carol"))).isPresent();
        assertThat(directory.setEnabled("mallory", false)).isFalse();
        assertThat(directory.enabledUser("mallory")).isEmpty();
    }

    @Test
    @DisplayName("setPassword() replaces the password and keeps the account's work factor")
    void setPassword() {
        assertThat(directory.setPassword("alice", "a-new-password-for-alice")).isTrue();
        assertThat(directory.authenticate("alice", users.password("alice"))).isEmpty();
        assertThat(directory.authenticate("alice", "a-new-password-for-alice")).isPresent();
        assertThat(directory.setPassword("mallory", "whatever-password")).isFalse();
    }

    @Test
    @DisplayName("a password hash is PBKDF2-HMAC-SHA256: salted (two hashes of one password differ) and reproducible")
    void passwordHash() {
        UserDirectory.PasswordHash one = UserDirectory.PasswordHash.of("correct horse battery", 1000);
        UserDirectory.PasswordHash two = UserDirectory.PasswordHash.of("correct horse battery", 1000);
        assertThat(one.salt()).hasSize(UserDirectory.SALT_BYTES).isNotEqualTo(two.salt());
        assertThat(one.hash()).hasSize(UserDirectory.HASH_BYTES).isNotEqualTo(two.hash());
        assertThat(one.matches("correct horse battery")).isTrue();
        assertThat(one.matches("correct horse battery ")).isFalse();
        assertThat(UserDirectory.pbkdf2("correct horse battery", one.salt(), 1000)).isEqualTo(one.hash());
    }

    @Test
    @DisplayName("a broken users file fails with one sentence that says what is wrong")
    void brokenFiles() {
        String salt = "\"AAAAAAAAAAAAAAAAAAAAAA==\"";
        String hash = "\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"";
        String good = "{\"username\":\"x\",\"name\":\"X\",\"enabled\":true,\"permissions\":[],"
                + "\"passwordHash\":{\"iterations\":1,\"salt\":" + salt + ",\"hash\":" + hash + "}}";
        Map<String, String> files = Map.of(
                "not json", "not valid JSON of the expected shape",
                "{\"users\": []}", "lists no users",
                "{\"users\": [" + good + "," + good + "]}", "user 'x' is listed twice",
                "{\"users\": [" + good.replace("\"name\":\"X\",", "") + "]}", "user 'x' has no name",
                "{\"users\": [" + good.replace("\"enabled\":true,", "") + "]}", "user 'x' has no enabled flag",
                "{\"users\": [" + good.replace(salt, "\"AAAA\"") + "]}", "user 'x' needs a passwordHash",
                "{\"users\": [" + good.replace("\"username\":\"x\",", "") + "]}", "a user has no username");
        files.forEach((json, problem) -> assertThatThrownBy(
                () -> UserDirectory.load(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))))
                .as(json)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(problem)
                .hasMessageNotContaining("\n"));
    }
}
