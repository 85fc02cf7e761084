package workshop.orders.auth.jwt;

import io.modelcontextprotocol.json.McpJsonDefaults;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The users who may log in, loaded from a JSON resource ({@value #RESOURCE}). Passwords are stored
 * only as salted PBKDF2-HMAC-SHA256 hashes, each with the work factor it was made with, so the
 * factor can be raised user by user. Nothing here ever holds or returns a password.
 */
public final class UserDirectory {

    /** The accounts, next to this class on the class path: src/main/resources/workshop/orders/auth/jwt/users.json. */
    public static final String RESOURCE = "users.json";
    /** OWASP Password Storage Cheat Sheet: PBKDF2-HMAC-SHA256 with at least 600,000 iterations. */
    public static final int RECOMMENDED_ITERATIONS = 600_000;
    static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;

    /** A user as the rest of the server sees one: no password material. Permissions are used from step 03 on. */
    public record User(String username, String name, List<String> permissions) {
    }

    /** A stored password: a random salt and the PBKDF2 output, with the iteration count used. */
    public record PasswordHash(int iterations, byte[] salt, byte[] hash) {

        /** Hashes a new password with a fresh random salt. */
        public static PasswordHash of(String password, int iterations) {
            byte[] salt = new byte[SALT_BYTES];
            new SecureRandom().nextBytes(salt);
            return new PasswordHash(iterations, salt, pbkdf2(password, salt, iterations));
        }

        /** Always does the full work, and compares in constant time. */
        boolean matches(String password) {
            // TODO(02.4): is this the password the entry was made from? How long the answer takes must not
            //  tell how many bytes of a guess were right.
            throw new UnsupportedOperationException("TODO(02.4): check a password against its hash");
        }
    }

    /** One entry of the users file. */
    record Account(String username, String name, Boolean enabled, List<String> permissions, PasswordHash passwordHash) {

        User user() {
            return new User(username, name, permissions);
        }
    }

    private record UsersFile(List<Account> users) {
    }

    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    /** Hashed against when the user is unknown, so a wrong name costs as long as a wrong password. */
    private final PasswordHash dummy;

    private UserDirectory(List<Account> accounts) {
        int iterations = 1;
        for (Account account : accounts) {
            this.accounts.put(account.username(), account);
            iterations = Math.max(iterations, account.passwordHash().iterations());
        }
        byte[] salt = new byte[SALT_BYTES];
        new SecureRandom().nextBytes(salt);
        this.dummy = new PasswordHash(iterations, salt, new byte[HASH_BYTES]);
    }

    /** The users shipped with this step (alice, bob and carol; their passwords are in the README). */
    public static UserDirectory fromResource() {
        try (InputStream in = UserDirectory.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a users file: {@code {"users": [{"username", "name", "enabled", "permissions",
     * "passwordHash": {"iterations", "salt", "hash"}}]}}, salt and hash in base64.
     *
     * @throws IllegalArgumentException with one sentence saying what is wrong with the file
     */
    public static UserDirectory load(InputStream json) throws IOException {
        UsersFile file;
        try {
            file = McpJsonDefaults.getMapper().readValue(json.readAllBytes(), UsersFile.class);
        } catch (IOException | RuntimeException notJson) {
            throw new IllegalArgumentException("The users file is not valid JSON of the expected shape");
        }
        if (file == null || file.users() == null || file.users().isEmpty()) {
            throw new IllegalArgumentException("The users file lists no users");
        }
        Set<String> seen = new HashSet<>();
        for (Account account : file.users()) {
            String problem = problem(account);
            if (problem == null && !seen.add(account.username())) {
                problem = "is listed twice";
            }
            if (problem != null) {
                String who = account == null || account.username() == null ? "a user" : "user '" + account.username() + "'";
                throw new IllegalArgumentException("The users file is invalid: " + who + " " + problem);
            }
        }
        return new UserDirectory(file.users());
    }

    private static String problem(Account account) {
        if (account == null || account.username() == null || account.username().isBlank()) {
            return "has no username";
        }
        if (account.name() == null || account.name().isBlank()) {
            return "has no name";
        }
        if (account.enabled() == null) {
            return "has no enabled flag";
        }
        if (account.permissions() == null || account.permissions().stream().anyMatch(p -> p == null || p.isBlank())) {
            return "needs a permissions list of names";
        }
        PasswordHash hash = account.passwordHash();
        if (hash == null || hash.iterations() < 1 || hash.salt() == null || hash.salt().length < SALT_BYTES
                || hash.hash() == null || hash.hash().length != HASH_BYTES) {
            return "needs a passwordHash with iterations, a salt of " + SALT_BYTES + "+ bytes and a hash of "
                    + HASH_BYTES + " bytes";
        }
        return null;
    }

    /**
     * The user, when the name is known, the account enabled and the password right. Unknown names,
     * wrong passwords and disabled accounts all do the same PBKDF2 work and give the same answer,
     * so neither the answer nor its timing tells which names exist.
     */
    public Optional<User> authenticate(String username, String password) {
        // TODO(02.4): the user, only for an existing, enabled account and its password (null never matches).
        //  Neither the answer nor the time it takes may tell whether the name exists or the account is disabled.
        throw new UnsupportedOperationException("TODO(02.4): check a username and password");
    }

    /** The user, while it exists and is enabled: a refresh checks this again before issuing new tokens. */
    public Optional<User> enabledUser(String username) {
        Account account = accounts.get(username);
        return account != null && account.enabled() ? Optional.of(account.user()) : Optional.empty();
    }

    /** Enables or disables an account at run time; returns false when there is no such user. */
    public boolean setEnabled(String username, boolean enabled) {
        return accounts.computeIfPresent(username, (name, account) -> new Account(name, account.name(), enabled,
                account.permissions(), account.passwordHash())) != null;
    }

    /** Gives an account a new password, hashed with the work factor its old one had. */
    public boolean setPassword(String username, String password) {
        return accounts.computeIfPresent(username, (name, account) -> new Account(name, account.name(),
                account.enabled(), account.permissions(),
                PasswordHash.of(password, account.passwordHash().iterations()))) != null;
    }

    static byte[] pbkdf2(String password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, HASH_BYTES * 8);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every Java runtime has " + ALGORITHM, e);
        } finally {
            spec.clearPassword();
        }
    }
}
