package workshop.orders.support;

import io.modelcontextprotocol.json.McpJsonDefaults;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import workshop.orders.Config;
import workshop.orders.auth.jwt.UserDirectory;

/**
 * alice, bob and carol as in users.json, but with random passwords made for this test run and a low
 * work factor, so a login costs microseconds instead of a fifth of a second.
 */
public final class TestUsers {

    public static final int ITERATIONS = 1_000;
    public static final Map<String, List<String>> PERMISSIONS = Map.of(
            "alice", List.of("Admin.Write", "User.Read", "User.Write"),
            "bob", List.of("User.Read", "User.Write"),
            "carol", List.of("Guest.Read"));

    private final Map<String, String> passwords = new LinkedHashMap<>();
    public final UserDirectory directory;

    public TestUsers() throws Exception {
        List<Map<String, Object>> users = new ArrayList<>();
        for (String username : List.of("alice", "bob", "carol")) {
            String password = Credentials.issued(Credentials.Kind.PASSWORD, "TestUsers, of " + username,
                    Config.randomSecret());
            passwords.put(username, password);
            Map<String, Object> user = new LinkedHashMap<>();
            user.put("username", username);
            user.put("name", Character.toUpperCase(username.charAt(0)) + username.substring(1));
            user.put("enabled", true);
            user.put("permissions", PERMISSIONS.get(username));
            user.put("passwordHash", UserDirectory.PasswordHash.of(password, ITERATIONS));
            users.add(user);
        }
        byte[] json = McpJsonDefaults.getMapper().writeValueAsBytes(Map.of("users", users));
        directory = UserDirectory.load(new ByteArrayInputStream(json));
    }

    public String password(String username) {
        return passwords.get(username);
    }
}
