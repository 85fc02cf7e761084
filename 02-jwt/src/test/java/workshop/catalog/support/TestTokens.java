package workshop.catalog.support;

import io.modelcontextprotocol.json.McpJsonDefaults;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import workshop.catalog.auth.jwt.TokenService;

/**
 * JWTs built by hand (base64url JSON, HMAC with javax.crypto), so a test can make every kind of bad
 * token without the library under test helping.
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

    /** The good header with one entry changed, or removed when the value is null. */
    public static Map<String, Object> header(String name, Object value) {
        return with(header(), name, value);
    }

    /** The map with one entry changed, or removed when the value is null: a good token with one flaw. */
    public static Map<String, Object> with(Map<String, Object> map, String name, Object value) {
        if (value == null) {
            map.remove(name);
        } else {
            map.put(name, value);
        }
        return map;
    }

    /** The claims of a good access token for bob, issued at {@code now}, valid for 15 minutes. */
    public static Map<String, Object> claims(Instant now) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", TokenService.ISSUER);
        claims.put("aud", TokenService.AUDIENCE);
        claims.put("sub", "bob");
        claims.put("name", "Bob");
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(TokenService.DEFAULT_LIFETIME).getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        return claims;
    }

    /** Signs with the algorithm the header names (HS256, HS384 or HS512); "none" gets an empty signature. */
    public static String sign(Map<String, Object> header, Map<String, Object> claims, String secret) throws Exception {
        String input = encode(json(header)) + "." + encode(json(claims));
        String alg = String.valueOf(header.get("alg"));
        if (!alg.startsWith("HS")) {
            return input + ".";
        }
        String jca = "HmacSHA" + alg.substring(2);
        Mac mac = Mac.getInstance(jca);
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), jca));
        return input + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    public static String encode(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    public static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }

    private static String json(Map<String, Object> value) throws Exception {
        return McpJsonDefaults.getMapper().writeValueAsString(value);
    }
}
