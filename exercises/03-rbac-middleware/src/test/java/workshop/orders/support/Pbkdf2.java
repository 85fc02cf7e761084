package workshop.orders.support;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PBKDF2-HMAC-SHA256 computed by the tests themselves, so the shipped hashes are checked without the code under
 * test. Hashes at the real work factor (600,000 iterations) are computed in a JVM of their own: the test JVM runs
 * the quick C1 compiler only (see the poms' argLine), which has no SHA-256 intrinsic and takes eight times as long
 * as the full JIT for them. If that JVM cannot be started, they are computed here.
 */
public final class Pbkdf2 {

    private Pbkdf2() {
    }

    /** One derivation: a password, its salt and the iteration count. */
    public record Input(String password, byte[] salt, int iterations) {
    }

    /** The 256-bit key of one input. */
    public static byte[] derive(String password, byte[] salt, int iterations) throws Exception {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
        return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    }

    /** The keys of all inputs, in order, computed at the same time in a JVM with the full JIT. */
    public static List<byte[]> deriveAll(List<Input> inputs) throws Exception {
        try {
            return inAnotherJvm(inputs);
        } catch (Exception | AssertionError cannotStart) {
            List<byte[]> keys = new ArrayList<>();
            for (Input input : inputs) {
                keys.add(derive(input.password(), input.salt(), input.iterations()));
            }
            return keys;
        }
    }

    private static List<byte[]> inAnotherJvm(List<Input> inputs) throws Exception {
        Base64.Encoder base64 = Base64.getEncoder();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String classes = Path.of(Pbkdf2.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        Process child = new ProcessBuilder(java.toString(), "-cp", classes, Pbkdf2.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream in = child.getOutputStream()) {
            for (Input input : inputs) {
                in.write((base64.encodeToString(input.password().getBytes(StandardCharsets.UTF_8)) + " "
                        + base64.encodeToString(input.salt()) + " " + input.iterations() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
        }
        List<byte[]> keys = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                keys.add(Base64.getDecoder().decode(line));
            }
        }
        if (!child.waitFor(60, TimeUnit.SECONDS) || child.exitValue() != 0 || keys.size() != inputs.size()) {
            child.destroyForcibly();
            throw new AssertionError("the PBKDF2 JVM failed");
        }
        return keys;
    }

    /** The other JVM: one input a line on standard input ("password salt iterations", base64), one key a line out. */
    public static void main(String[] args) throws Exception {
        Base64.Decoder base64 = Base64.getDecoder();
        ExecutorService threads = Executors.newCachedThreadPool();
        List<Future<byte[]>> keys = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] parts = line.split(" ");
                String password = new String(base64.decode(parts[0]), StandardCharsets.UTF_8);
                byte[] salt = base64.decode(parts[1]);
                int iterations = Integer.parseInt(parts[2]);
                keys.add(threads.submit(() -> derive(password, salt, iterations)));
            }
        }
        for (Future<byte[]> key : keys) {
            System.out.println(Base64.getEncoder().encodeToString(key.get()));
        }
        threads.shutdown();
    }
}
