package workshop.orders.auth.pertool;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import workshop.orders.auth.permissions.Caller;

/**
 * Step 04: which permissions allow which MCP feature. One row per tool, resource (by URI) and prompt;
 * a caller may use a feature when the token grants <em>any one</em> of the permissions of its row.
 * A feature without a row is denied to everyone, so a tool added later is closed until someone
 * decides who may call it. This table is the single source of truth: {@link FeatureGuard} reads it
 * both to refuse calls and to filter {@code tools/list}.
 */
public final class FeaturePermissions {

    /** The three kinds of MCP feature a row can name. */
    public enum Kind {
        TOOL, RESOURCE, PROMPT;

        /** How a message names the kind: "tool", "resource", "prompt". */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A feature as the table knows it: its kind and its name (the URI for a resource). */
    public record Feature(Kind kind, String name) {
        public Feature {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String toString() {
            return kind.label() + " " + name;
        }
    }

    private final Map<Feature, List<String>> rows;

    private FeaturePermissions(Map<Feature, List<String>> rows) {
        this.rows = Collections.unmodifiableMap(new LinkedHashMap<>(rows));
    }

    /**
     * The orders desk's table. Listing is open to guests and users, placing to users and admins,
     * cancelling to admins (and, by {@link OrderOwnership}, not by this table, to the user who placed the
     * order); {@code whoami} to anyone who can read, so every demo user can see who the server thinks they are.
     */
    public static FeaturePermissions orders() {
        // TODO(04.1): the desk's rows, so that alice may use every feature, bob every one but cancel_order, and
        //  carol (Guest.Read) only what reads: list_orders, whoami, the resource orders://open and the prompt
        //  summarize_orders. Any one permission of a row is enough; exactly the rows of the README's table, and no
        //  other: a feature without a row is denied to everyone.
        return builder()
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every row, in the order it was added. */
    public Map<Feature, List<String>> rows() {
        return rows;
    }

    /** The permissions that allow the feature, any one of them is enough; empty when it has no row. */
    public List<String> required(Feature feature) {
        return rows.getOrDefault(feature, List.of());
    }

    /** True when the caller's token grants one of the feature's permissions; never for a feature without a row. */
    public boolean allows(Caller caller, Feature feature) {
        return required(feature).stream().anyMatch(caller::has);
    }

    /** Builds a table row by row; a row needs at least one permission, and each feature has one row. */
    public static final class Builder {

        private final Map<Feature, List<String>> rows = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder tool(String name, String... anyOf) {
            return row(new Feature(Kind.TOOL, name), anyOf);
        }

        public Builder resource(String uri, String... anyOf) {
            return row(new Feature(Kind.RESOURCE, uri), anyOf);
        }

        public Builder prompt(String name, String... anyOf) {
            return row(new Feature(Kind.PROMPT, name), anyOf);
        }

        private Builder row(Feature feature, String... anyOf) {
            // An empty row would read like "open to all" but deny everyone: leaving the row out says that.
            if (anyOf.length == 0) {
                throw new IllegalArgumentException(feature + " needs at least one permission; leave it out to deny it");
            }
            if (rows.putIfAbsent(feature, List.of(anyOf)) != null) {
                throw new IllegalArgumentException(feature + " has two rows");
            }
            return this;
        }

        public FeaturePermissions build() {
            return new FeaturePermissions(rows);
        }
    }
}
