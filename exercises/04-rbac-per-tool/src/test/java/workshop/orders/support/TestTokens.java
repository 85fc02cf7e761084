package workshop.orders.support;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import workshop.orders.auth.jwt.TokenService;

/**
 * JWTs built and read by hand (base64url JSON, ECDSA and HMAC with the JDK), so a test can make every kind
 * of bad token, and check an issued one, without the code under test helping.
 */
public final class TestTokens {

    private TestTokens() {
    }

    /** The header of a good access token. */
    public static Map<String, Object> header() {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "ES256");
        header.put("typ", "at+jwt");
        return header;
    }

    /** The claims of a good access token for bob, issued at {@code now}, valid for 15 minutes. */
    public static Map<String, Object> claims(Instant now) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", TokenService.ISSUER);
        claims.put("aud", TokenService.AUDIENCE);
        claims.put("sub", "bob");
        claims.put("name", "Bob");
        claims.put("scope", String.join(" ", TestUsers.PERMISSIONS.get("bob")));
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(TokenService.DEFAULT_LIFETIME).getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        return claims;
    }

    /** The claims of a good access token for that user, its permissions in {@link TestUsers} as scope (none if unknown). */
    public static Map<String, Object> claimsFor(String username, Instant now) {
        Map<String, Object> claims = claims(now);
        claims.put("sub", username);
        claims.put("name", Character.toUpperCase(username.charAt(0)) + username.substring(1));
        claims.put("scope", String.join(" ", TestUsers.PERMISSIONS.getOrDefault(username, List.of())));
        return claims;
    }

    /** The names in a token's scope claim, split at single spaces; null when the claim is not a string. */
    public static List<String> scopeNames(String token) throws Exception {
        return part(token, 1).get("scope") instanceof String scope ? List.of(scope.split(" ", -1)) : null;
    }

    /** The header of a good access token with one parameter changed, or removed when {@code value} is null. */
    public static Map<String, Object> header(String name, Object value) {
        return with(header(), name, value);
    }

    /** The claims of a good access token at {@code now}, one changed, or removed when {@code value} is null. */
    public static Map<String, Object> claims(Instant now, String name, Object value) {
        return with(claims(now), name, value);
    }

    private static Map<String, Object> with(Map<String, Object> map, String name, Object value) {
        if (value == null) {
            map.remove(name);
        } else {
            map.put(name, value);
        }
        return map;
    }

    /** A fresh EC P-256 key pair, the keys of ES256, made by the JDK. */
    public static KeyPair newKeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /**
     * Signs with the algorithm the header names: ES256 with the private key; HS256, HS384 or HS512 with an HMAC
     * keyed with the public key's bytes (the algorithm-confusion forgery of RFC 8725 §2.1: anyone has the public
     * key); any other algorithm gets an empty signature.
     */
    public static String sign(Map<String, Object> header, Map<String, Object> claims, KeyPair keys) throws Exception {
        String input = encode(json(header)) + "." + encode(json(claims));
        String alg = String.valueOf(header.get("alg"));
        if (alg.equals("ES256")) {
            Signature ecdsa = Signature.getInstance("SHA256withECDSAinP1363Format");
            ecdsa.initSign(keys.getPrivate());
            ecdsa.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(ecdsa.sign());
        }
        if (alg.matches("HS(256|384|512)")) {
            return input + "." + hmac("HmacSHA" + alg.substring(2), input, keys.getPublic().getEncoded());
        }
        return input + ".";
    }

    /** An HMAC-signed token (the header names HS256, HS384 or HS512) keyed with these bytes. */
    public static String signHmac(Map<String, Object> header, Map<String, Object> claims, byte[] key)
            throws Exception {
        String input = encode(json(header)) + "." + encode(json(claims));
        return input + "." + hmac("HmacSHA" + String.valueOf(header.get("alg")).substring(2), input, key);
    }

    /** Whether the token's signature is ES256 (P1363 form, RFC 7518 §3.4) of its header.payload under this key. */
    public static boolean es256Verifies(String token, PublicKey key) throws Exception {
        int lastDot = token.lastIndexOf('.');
        Signature ecdsa = Signature.getInstance("SHA256withECDSAinP1363Format");
        ecdsa.initVerify(key);
        ecdsa.update(token.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII));
        try {
            return ecdsa.verify(Base64.getUrlDecoder().decode(token.substring(lastDot + 1)));
        } catch (SignatureException | IllegalArgumentException malformed) {
            return false;
        }
    }

    /** The public key as PEM text, the form in which a forger would find it published. */
    public static byte[] pem(PublicKey key) {
        return ("-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** One part (0 header, 1 payload) of a token, as a JSON object. */
    public static Map<String, Object> part(String token, int index) throws Exception {
        return McpJsonDefaults.getMapper().readValue(decode(token.split("\\.")[index]),
                new TypeRef<Map<String, Object>>() {
                });
    }

    public static String encode(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    public static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }

    private static String hmac(String algorithm, String input, byte[] key) throws Exception {
        Mac mac = Mac.getInstance(algorithm);
        mac.init(new SecretKeySpec(key, algorithm));
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String json(Map<String, Object> value) throws Exception {
        return McpJsonDefaults.getMapper().writeValueAsString(value);
    }
}
