package workshop.orders.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.orders.support.Pbkdf2;
import workshop.orders.support.TestUsers;

/**
 * Task 02.4 (the password check), without HTTP, and the users file that comes with the exercise
 * (02.0). The test users have a low work factor, so a check costs microseconds, except where the
 * cost itself is what is checked.
 */
@DisplayName("The user directory")
public class UserDirectoryTest {

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

    /** The users of the test directory with this many iterations, and their passwords. */
    private static UserDirectory directoryWithIterations(int iterations, Map<String, String> passwords)
            throws Exception {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (Map.Entry<String, String> user : passwords.entrySet()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("username", user.getKey());
            entry.put("name", user.getKey());
            entry.put("enabled", true);
            entry.put("permissions", List.of());
            entry.put("passwordHash", UserDirectory.PasswordHash.of(user.getValue(), iterations));
            entries.add(entry);
        }
        byte[] json = McpJsonDefaults.getMapper().writeValueAsBytes(Map.of("users", entries));
        return UserDirectory.load(new ByteArrayInputStream(json));
    }

    @Test
    @DisplayName("02.4 only the right password returns the user; a wrong one, an unknown name, null return nothing")
    void task02_4_authenticate() {
        assertThat(directory.authenticate("bob", users.password("bob"))).as("bob with his password").hasValue(
                new UserDirectory.User("bob", "Bob", List.of("User.Read", "User.Write")));
        assertThat(directory.authenticate("bob", users.password("alice"))).as("bob with alice's password").isEmpty();
        assertThat(directory.authenticate("bob", users.password("bob") + "x")).as("one character more").isEmpty();
        assertThat(directory.authenticate("Bob", users.password("bob"))).as("Bob").isEmpty();
        assertThat(directory.authenticate("mallory", users.password("bob"))).as("an unknown user").isEmpty();
        assertThat(directory.authenticate("bob", "")).as("an empty password").isEmpty();
        assertThat(directory.authenticate("bob", null)).as("no password").isEmpty();
        assertThat(directory.authenticate(null, users.password("bob"))).as("no username").isEmpty();
        assertThat(directory.authenticate("alice", users.password("alice"))).as("alice with her password")
                .hasValueSatisfying(alice -> assertThat(alice.permissions()).containsExactly("Admin.Write",
                        "User.Read", "User.Write"));
    }

    @Test
    @DisplayName("02.4 a disabled account cannot log in, even with its password, until it is enabled again")
    void task02_4_disabledAccount() {
        assertThat(directory.setEnabled("carol", false)).isTrue();
        assertThat(directory.authenticate("carol", users.password("carol"))).isEmpty();
        assertThat(directory.enabledUser("carol")).isEmpty();
        assertThat(directory.authenticate("bob", users.password("bob"))).isPresent();

        assertThat(directory.setEnabled("carol", true)).isTrue();
        assertThat(directory.authenticate("carol", users.password("carol"))).isPresent();
    }

    @Test
    @DisplayName("02.4 a password hash matches its own password only, whatever salt and work factor it was made with")
    void task02_4_passwordHashMatches() throws Exception {
        UserDirectory.PasswordHash one = UserDirectory.PasswordHash.of("correct horse battery", 1000);
        assertThat(one.matches("correct horse battery")).isTrue();
        assertThat(one.matches("correct horse battery ")).isFalse();
        assertThat(one.matches("Correct horse battery")).isFalse();
        assertThat(one.matches("")).isFalse();

        byte[] salt = new byte[UserDirectory.SALT_BYTES];
        salt[0] = 7;
        UserDirectory.PasswordHash madeHere = new UserDirectory.PasswordHash(1234, salt,
                Pbkdf2.derive("staple-lamp-pencil", salt, 1234));
        assertThat(madeHere.matches("staple-lamp-pencil")).as("a hash computed by the test").isTrue();
        assertThat(new UserDirectory.PasswordHash(1235, salt, madeHere.hash()).matches("staple-lamp-pencil"))
                .as("the same hash read with another iteration count").isFalse();
    }

    @Test
    @DisplayName("02.4 an unknown username costs the same PBKDF2 work as a wrong password")
    void task02_4_unknownUserCostsTheSame() throws Exception {
        UserDirectory slow = directoryWithIterations(10_000, Map.of("dora", "dora-password-1"));
        assertThat(slow.authenticate("dora", "dora-password-1")).as("the right password").isPresent();
        long wrongPassword = Long.MAX_VALUE;
        long unknownUser = Long.MAX_VALUE;
        // The fastest of a few runs each: other work on the machine only ever makes a run slower.
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            assertThat(slow.authenticate("dora", "wrong-password")).isEmpty();
            wrongPassword = Math.min(wrongPassword, System.nanoTime() - start);
            start = System.nanoTime();
            assertThat(slow.authenticate("nobody-" + i, "wrong-password")).isEmpty();
            unknownUser = Math.min(unknownUser, System.nanoTime() - start);
        }
        // 10,000 iterations take milliseconds; a shortcut for unknown names takes microseconds, hundreds of times
        // less. A tenth leaves room for a busy machine.
        assertThat(unknownUser).as("fastest check of an unknown user (ns), against %d ns for a wrong password",
                wrongPassword).isGreaterThan(wrongPassword / 10);
    }

    @Test
    @DisplayName("02.4 a disabled account costs the same PBKDF2 work as a wrong password")
    void task02_4_disabledAccountCostsTheSame() throws Exception {
        UserDirectory slow = directoryWithIterations(10_000, Map.of("dora", "dora-password-1", "ella", "ella-password-1"));
        assertThat(slow.authenticate("ella", "ella-password-1")).as("the right password").isPresent();
        assertThat(slow.setEnabled("ella", false)).isTrue();
        long wrongPassword = Long.MAX_VALUE;
        long disabled = Long.MAX_VALUE;
        // The fastest of a few runs each: other work on the machine only ever makes a run slower.
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            assertThat(slow.authenticate("dora", "wrong-password")).isEmpty();
            wrongPassword = Math.min(wrongPassword, System.nanoTime() - start);
            start = System.nanoTime();
            assertThat(slow.authenticate("ella", "ella-password-1")).as("disabled, with its password").isEmpty();
            disabled = Math.min(disabled, System.nanoTime() - start);
        }
        // A check of the enabled flag before hashing would take microseconds, hundreds of times less; a tenth
        // leaves room.
        assertThat(disabled).as("fastest check of a disabled account (ns), against %d ns for a wrong password",
                wrongPassword).isGreaterThan(wrongPassword / 10);
    }

    @Test
    @DisplayName("02.0 users.json holds alice, bob and carol with their permissions, enabled, at 600,000 iterations")
    @SuppressWarnings("unchecked")
    void given_shippedFile() throws Exception {
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
        assertThat(UserDirectory.fromResource().enabledUser("carol")).hasValue(
                new UserDirectory.User("carol", "Carol", List.of("Guest.Read")));
    }

    /** The demo users' passwords, from the table in this module's README (the only place they are written). */
    public static Map<String, String> readmePasswords() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        Matcher row = Pattern.compile("(?m)^\\| (alice|bob|carol) \\| `([^`]+)` \\|").matcher(readme);
        Map<String, String> passwords = new LinkedHashMap<>();
        while (row.find()) {
            passwords.put(row.group(1), row.group(2));
        }
        return passwords;
    }

    @Test
    @DisplayName("02.0 the passwords listed in this module's README match the hashes in users.json")
    @SuppressWarnings("unchecked")
    void given_readmePasswordsMatchTheShippedHashes() throws Exception {
        Map<String, String> passwords = readmePasswords();
        assertThat(passwords).as("the README's table of users").containsOnlyKeys("alice", "bob", "carol");
        // 600,000 iterations cost a fifth of a second each: the three users are checked at the same time, in a JVM
        // with the full JIT (support/Pbkdf2).
        List<Map<String, Object>> users = shippedUsers();
        Base64.Decoder base64 = Base64.getDecoder();
        List<Pbkdf2.Input> inputs = users.stream().map(user -> {
            Map<String, Object> hash = (Map<String, Object>) user.get("passwordHash");
            return new Pbkdf2.Input(passwords.get((String) user.get("username")),
                    base64.decode((String) hash.get("salt")), (Integer) hash.get("iterations"));
        }).toList();
        List<byte[]> computed = Pbkdf2.deriveAll(inputs);
        for (int i = 0; i < users.size(); i++) {
            Map<String, Object> hash = (Map<String, Object>) users.get(i).get("passwordHash");
            assertThat(computed.get(i)).as("password of " + users.get(i).get("username"))
                    .isEqualTo(base64.decode((String) hash.get("hash")));
        }
    }

    @Test
    @DisplayName("02.0 a broken users file fails with one sentence that says what is wrong")
    void given_brokenFiles() {
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
