package workshop.orders.support;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
import java.nio.charset.StandardCharsets;
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
 * JWTs built and read by hand (base64url JSON, HMAC with javax.crypto), so a test can make every kind
 * of bad token, and check an issued one, without the code under test helping.
 */
public final class TestTokens {

    private TestTokens() {
    }

    /** The header of a good access token. */
    public static Map<String, Object> header() {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "HS256");
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

    /** Signs with the algorithm the header names (HS256, HS384 or HS512); any other gets an empty signature. */
    public static String sign(Map<String, Object> header, Map<String, Object> claims, String secret) throws Exception {
        String input = encode(json(header)) + "." + encode(json(claims));
        String alg = String.valueOf(header.get("alg"));
        if (!alg.matches("HS(256|384|512)")) {
            return input + ".";
        }
        return input + "." + hmac("HmacSHA" + alg.substring(2), input, secret);
    }

    /** The base64url HMAC-SHA256 of {@code header.payload} with the secret: what an HS256 signature must be. */
    public static String hs256(String headerAndPayload, String secret) throws Exception {
        return hmac("HmacSHA256", headerAndPayload, secret);
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

    private static String hmac(String algorithm, String input, String secret) throws Exception {
        Mac mac = Mac.getInstance(algorithm);
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String json(Map<String, Object> value) throws Exception {
        return McpJsonDefaults.getMapper().writeValueAsString(value);
    }
}
