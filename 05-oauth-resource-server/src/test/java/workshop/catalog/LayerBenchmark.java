package workshop.catalog;

import java.net.URI;
import java.util.List;
import java.util.Set;
import workshop.catalog.auth.pertool.FeatureGuard;
import workshop.catalog.auth.resourceserver.AccessTokenVerifier;
import workshop.catalog.auth.resourceserver.ProtectedResource;
import workshop.catalog.auth.resourceserver.ResourceServerFilter;
import workshop.catalog.server.Catalog;
import workshop.catalog.server.CatalogServer;
import workshop.catalog.server.Layers;
import workshop.catalog.support.TestStack;

/**
 * What this step's layer costs (a main in test scope, not a test): the step's server as {@link Wiring} builds it
 * ({@link ResourceServerFilter}, which verifies the RS256 access token and checks the call's scope, and
 * {@link FeatureGuard}) against the same server with no layer at all, under the same load of raw-HTTP MCP sessions,
 * in one run; then token verifications on one thread, remembered and the whole check. The authorization server is
 * the step's own, started here, and the token one it issued to bob. {@code docs/benchmarks.md} says how to run it
 * and what it measured.
 */
public final class LayerBenchmark {

    private LayerBenchmark() {
    }

    public static void main(String[] args) {
        BenchmarkReport.runAndExit(LayerBenchmark::run);
    }

    private static void run() throws Exception {
        // A minute of warm-up: after 15 s this step's layer still said 5.9 %, after a minute a median of 1.4 %.
        BenchmarkReport.Settings settings = BenchmarkReport.Settings.fromSystemProperties(60);
        BenchmarkReport report = new BenchmarkReport(settings, "05-oauth-resource-server",
                "ResourceServerFilter + FeatureGuard");
        try (TestStack stack = TestStack.start();
                CatalogServer without = CatalogServer.start("127.0.0.1", 0, Catalog.seeded(), Set.of(), Layers.NONE);
                CatalogServer second = settings.aa()
                        ? CatalogServer.start("127.0.0.1", 0, Catalog.seeded(), Set.of(), Layers.NONE) : null) {
            String token = stack.token("bob", "catalog.read");
            String authorization = "Bearer " + token;
            McpLoad.Comparison layer = McpLoad.compare(
                    McpLoad.sessions(second == null ? stack.mcp : second.endpoint(), authorization,
                            settings.workers()),
                    McpLoad.sessions(without.endpoint(), authorization, settings.workers()), settings);
            report.layerCost(settings, "ResourceServerFilter + FeatureGuard", "no layer", layer.with(),
                    layer.without());

            // The check ResourceServerFilter makes, on a verifier built as Wiring builds the filter's: the signing key
            // comes from the authorization server's JWKS, fetched once and then kept by kid. verify answers the same
            // token again from the verified-token cache (a SHA-256, a lookup, the key and time rechecked);
            // verifyWithoutCache is the whole check every time: RS256 signature, iss, aud, exp and nbf, sub, scope.
            URI endpoint = stack.mcp;
            AccessTokenVerifier verifier = new AccessTokenVerifier(
                    new ProtectedResource(endpoint, stack.wiring.issuer(), Wiring.SCOPES), stack.wiring.keys(),
                    stack.clock);
            // Two rounds of each first, unreported.
            McpLoad.perSecond(() -> verifier.verifyWithoutCache(token), 2, settings.verifyRound());
            McpLoad.perSecond(() -> verifier.verify(token), 2, settings.verifyRound());
            report.verifications(settings, List.of("`AccessTokenVerifier.verify`, the same token again (remembered)",
                    "the whole check every time (`verifyWithoutCache`; signing key kept by kid)"), List.of(
                    McpLoad.perSecond(() -> verifier.verify(token), BenchmarkReport.Settings.VERIFY_ROUNDS,
                            settings.verifyRound()),
                    McpLoad.perSecond(() -> verifier.verifyWithoutCache(token), BenchmarkReport.Settings.VERIFY_ROUNDS,
                            settings.verifyRound())));
        }
        report.publish(settings);
    }
}
