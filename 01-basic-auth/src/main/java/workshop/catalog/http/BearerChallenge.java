package workshop.catalog.http;

/**
 * The value of a {@code WWW-Authenticate: Bearer} challenge (RFC 6750 §3), built here and nowhere else:
 * {@code realm="mcp"} first, then the parameters in the order they are added. Every value is sent as a
 * quoted-string (RFC 9110 §5.6.4): {@code "} and {@code \} are escaped with a backslash, and anything but printable
 * ASCII (CR, LF and the other control characters above all) is dropped, so no value, whatever it quotes (an
 * exception's message, a URL), can end its parameter, add one of its own, or split the header.
 */
public final class BearerChallenge {

    private final StringBuilder value = new StringBuilder("Bearer realm=\"" + HttpErrors.REALM + "\"");

    private BearerChallenge() {
    }

    /** {@code Bearer realm="mcp"}, to add parameters to. */
    public static BearerChallenge bearer() {
        return new BearerChallenge();
    }

    /** Adds {@code name="value"}; a null value adds nothing. */
    public BearerChallenge with(String name, String value) {
        if (value != null) {
            this.value.append(", ").append(name).append("=\"").append(quoted(value)).append('"');
        }
        return this;
    }

    @Override
    public String toString() {
        return value.toString();
    }

    /** The inside of a quoted-string: {@code "} and {@code \} escaped, characters outside printable ASCII dropped. */
    static String quoted(String text) {
        StringBuilder quoted = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7f) {
                quoted.append(c);
            }
        }
        return quoted.toString();
    }
}
