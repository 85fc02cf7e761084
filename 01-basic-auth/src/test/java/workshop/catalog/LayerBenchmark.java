package workshop.catalog;

import java.util.List;
import java.util.Map;
import java.util.Set;
import workshop.catalog.auth.bearer.BearerSecretFilter;
import workshop.catalog.client.CatalogClient;
import workshop.catalog.server.Catalog;
import workshop.catalog.server.CatalogServer;
import workshop.catalog.server.Layers;

/**
 * What this step's layer costs (a main in test scope, not a test): the same server with and without
 * {@link BearerSecretFilter}, under the same load of raw-HTTP MCP sessions, then the SDK client and a
 * raw client on one thread. {@code docs/benchmarks.md} says how to run it and what it measured.
 */
public final class LayerBenchmark {

    private LayerBenchmark() {
    }

    public static void main(String[] args) {
        BenchmarkReport.runAndExit(LayerBenchmark::run);
    }

    private static void run() throws Exception {
        BenchmarkReport.Settings settings = BenchmarkReport.Settings.fromSystemProperties(15);
        BenchmarkReport report = new BenchmarkReport(settings, "01-basic-auth", "BearerSecretFilter");
        String secret = Config.randomSecret();
        String authorization = "Bearer " + secret;
        try (CatalogServer with = CatalogServer.start("127.0.0.1", 0, Catalog.seeded(), Set.of(),
                settings.aa() ? Layers.NONE : Wiring.layers(secret));
                CatalogServer without = CatalogServer.start("127.0.0.1", 0, Catalog.seeded(), Set.of(), Layers.NONE)) {
            McpLoad.Comparison layer = McpLoad.compare(
                    McpLoad.sessions(with.endpoint(), authorization, settings.workers()),
                    McpLoad.sessions(without.endpoint(), authorization, settings.workers()), settings);
            report.layerCost(settings, "BearerSecretFilter", "no filter", layer.with(), layer.without());

            McpLoad.Session raw = McpLoad.Session.open(with.endpoint(), authorization);
            try (CatalogClient client = CatalogClient.connect(with.endpoint(), secret)) {
                report.clients(settings, List.of("SDK `McpSyncClient` (`CatalogClient`)", "raw java.net.http"), List.of(
                        McpLoad.perSecond(() -> client.call(McpLoad.TOOL, Map.of()),
                                BenchmarkReport.Settings.CLIENT_ROUNDS, settings.clientRound()),
                        McpLoad.perSecond(() -> {
                            raw.callTool();
                            return null;
                        }, BenchmarkReport.Settings.CLIENT_ROUNDS, settings.clientRound())));
            }
        }
        report.publish(settings);
    }
}
