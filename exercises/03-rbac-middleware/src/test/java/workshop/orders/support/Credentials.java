package workshop.orders.support;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import workshop.orders.LogHygieneTest;

/**
 * Every credential the tests of this run made, sent or were given, for {@link LogHygieneTest}: it looks for
 * exactly these in what the server logged, not for strings that merely look like one. The fixtures feed it:
 * the secrets and test passwords they make, the tokens they sign, every Authorization header a request of
 * {@link RawHttp} or {@link RawSocket} carries, and the tokens the server hands out in its answers.
 */
public final class Credentials {

    /** What a credential is, as a leak report names it. */
    public enum Kind {
        SECRET("a secret made for a test"),
        PASSWORD("a password made for a test user"),
        ACCESS_TOKEN("an access token"),
        REFRESH_TOKEN("a refresh token"),
        DEMO_PASSWORD("a demo user's password from the README"),
        SENT("a credential a test sent in an Authorization header");

        public final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** One credential: what it is, who made or received it, and its value. */
    public record Issued(Kind kind, String by, String value) {

        /** The kind and origin, never the value: "an access token (signed by TestTokens.sign)". */
        public String describe() {
            return kind.label + " (" + by + ")";
        }
    }

    /** Shorter strings are words as often as credentials ("Bearer", "not-a-token"): they are not tracked. */
    public static final int MIN_LENGTH = 16;

    private static final Map<String, Issued> ISSUED = new ConcurrentHashMap<>();
    private static final Pattern JWT = Pattern.compile("eyJ[\\w-]*\\.[\\w-]*\\.?[\\w-]*");
    private static final Pattern ANSWERED = Pattern.compile("\"(access_token|refresh_token)\"\\s*:\\s*\"([^\"]+)\"");

    private Credentials() {
    }

    /** Tracks a credential made by a fixture and returns it: {@code secret = Credentials.issued(SECRET, "...", x)}. */
    public static String issued(Kind kind, String by, String value) {
        if (value != null && value.length() >= MIN_LENGTH) {
            ISSUED.putIfAbsent(value, new Issued(kind, by, value));
        }
        return value;
    }

    /** Tracks the credential of a header a test sends, unless it is already known under a kind of its own. */
    public static void sent(String name, String value) {
        if (value == null || !name.equalsIgnoreCase("Authorization")) {
            return;
        }
        String strip = value.strip();
        int space = strip.indexOf(' ');
        String credential = space < 0 ? strip : strip.substring(space + 1).strip();
        String sentAs = "sent as \"" + (space < 0 ? "" : strip.substring(0, space) + " ") + "...\"";
        // A JWT a test made (good, expired, forged or cut): it is an access token, whoever signed it.
        issued(JWT.matcher(credential).matches() ? Kind.ACCESS_TOKEN : Kind.SENT, "made by a test, " + sentAs,
                credential);
    }

    /** Tracks the access and refresh tokens in a JSON answer of the server (/auth/token, /auth/refresh). */
    public static void answered(String body) {
        if (body == null || !body.contains("_token")) {
            return;
        }
        Matcher token = ANSWERED.matcher(body);
        while (token.find()) {
            boolean access = token.group(1).equals("access_token");
            issued(access ? Kind.ACCESS_TOKEN : Kind.REFRESH_TOKEN, "answered by the server's /auth endpoint",
                    token.group(2));
        }
    }

    /** Every credential tracked so far, by kind (the ones a test only sent last), the longest first. */
    public static List<Issued> all() {
        List<Issued> all = new ArrayList<>(ISSUED.values());
        all.sort(Comparator.comparing(Issued::kind).thenComparing(issued -> -issued.value().length()));
        return all;
    }
}
