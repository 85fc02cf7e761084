package workshop.catalog.auth.pertool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.catalog.auth.permissions.Caller;
import workshop.catalog.auth.permissions.WhoAmI;
import workshop.catalog.auth.pertool.FeaturePermissions.Feature;
import workshop.catalog.auth.pertool.FeaturePermissions.Kind;
import workshop.catalog.server.Catalog;
import workshop.catalog.server.CatalogFeatures;

@DisplayName("The permission table: which permissions allow which tool, resource and prompt")
class FeaturePermissionsTest {

    private static final Feature LIST = new Feature(Kind.TOOL, "list_products");
    private static final Feature CREATE = new Feature(Kind.TOOL, "create_product");
    private static final Feature DELETE = new Feature(Kind.TOOL, "delete_product");

    private static Caller caller(String... permissions) {
        return new Caller("someone", "Someone", Set.of(permissions));
    }

    @Test
    @DisplayName("the catalog's table in scopes: reading for catalog.read, create for catalog.write, delete for catalog.delete")
    void catalogTable() {
        assertThat(FeaturePermissions.catalog().rows()).containsExactly(
                entry(LIST, List.of("catalog.read")),
                entry(CREATE, List.of("catalog.write")),
                entry(DELETE, List.of("catalog.delete")),
                entry(new Feature(Kind.TOOL, "whoami"), List.of("catalog.read")),
                entry(new Feature(Kind.RESOURCE, "catalog://products"), List.of("catalog.read")),
                entry(new Feature(Kind.PROMPT, "summarize_catalog"), List.of("catalog.read")));
    }

    @Test
    @DisplayName("the table has a row for every tool, resource and prompt the catalog registers, and no row for anything else")
    void tableCoversEveryFeature() {
        CatalogFeatures features = new CatalogFeatures(Catalog.seeded());
        List<Feature> registered = new ArrayList<>();
        for (SyncToolSpecification tool : features.tools()) {
            registered.add(new Feature(Kind.TOOL, tool.tool().name()));
        }
        for (SyncResourceSpecification resource : features.resources()) {
            registered.add(new Feature(Kind.RESOURCE, resource.resource().uri()));
        }
        for (SyncPromptSpecification prompt : features.prompts()) {
            registered.add(new Feature(Kind.PROMPT, prompt.prompt().name()));
        }
        // and the tool the permission layer of step 03 brings along
        registered.add(new Feature(Kind.TOOL, WhoAmI.tool().tool().name()));
        assertThat(FeaturePermissions.catalog().rows().keySet()).containsExactlyInAnyOrderElementsOf(registered);
    }

    @Test
    @DisplayName("the scope of a row is enough; another scope, no scope or a differently cased name is not")
    void scopeOfTheRow() {
        FeaturePermissions table = FeaturePermissions.catalog();
        assertThat(table.allows(caller("catalog.write"), CREATE)).isTrue();
        assertThat(table.allows(caller("catalog.read", "catalog.delete"), CREATE)).isFalse();
        assertThat(table.allows(caller(), CREATE)).isFalse();
        assertThat(table.allows(caller("Catalog.Write", "CATALOG.WRITE"), CREATE)).isFalse();
        assertThat(table.allows(caller("catalog.read"), LIST)).isTrue();
        assertThat(table.allows(caller("catalog.read", "catalog.write"), DELETE)).isFalse();
    }

    @Test
    @DisplayName("a feature without a row needs nothing that anyone has: denied even to a caller with every scope")
    void unlistedIsDenied() {
        FeaturePermissions table = FeaturePermissions.catalog();
        Caller everything = caller("catalog.read", "catalog.write", "catalog.delete");
        for (Feature unlisted : List.of(new Feature(Kind.TOOL, "drop_catalog"), new Feature(Kind.TOOL, "List_products"),
                new Feature(Kind.RESOURCE, "list_products"), new Feature(Kind.PROMPT, "catalog://products"))) {
            assertThat(table.required(unlisted)).as(unlisted.toString()).isEmpty();
            assertThat(table.allows(everything, unlisted)).as(unlisted.toString()).isFalse();
        }
        assertThat(table.allows(everything, DELETE)).isTrue();
    }

    @Test
    @DisplayName("a row without permissions and a second row for the same feature are refused when the table is built")
    void builderRefusesAmbiguousRows() {
        assertThatThrownBy(() -> FeaturePermissions.builder().tool("delete_product"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tool delete_product needs at least one permission; leave it out to deny it");
        assertThatThrownBy(() -> FeaturePermissions.builder().tool("delete_product", "Admin.Write")
                .tool("delete_product", "User.Write"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("tool delete_product has two rows");
        // The same name as a tool and as a prompt are two features.
        FeaturePermissions table = FeaturePermissions.builder().tool("summarize", "User.Read").prompt("summarize", "Admin.Write")
                .build();
        assertThat(table.required(new Feature(Kind.PROMPT, "summarize"))).containsExactly("Admin.Write");
    }

    @Test
    @DisplayName("a built table cannot be changed: not through rows(), not through the builder afterwards")
    void tableIsImmutable() {
        FeaturePermissions.Builder builder = FeaturePermissions.builder().tool("list_products", "Guest.Read");
        FeaturePermissions table = builder.build();
        builder.tool("delete_product", "Guest.Read");

        assertThat(table.required(DELETE)).isEmpty();
        assertThatThrownBy(() -> table.rows().put(DELETE, List.of("Guest.Read")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> table.required(LIST).add("User.Read")).isInstanceOf(UnsupportedOperationException.class);
    }
}
