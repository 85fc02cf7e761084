package workshop.catalog;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import workshop.catalog.auth.jwt.JwtAuthFilter;
import workshop.catalog.auth.jwt.LoginThrottle;
import workshop.catalog.auth.jwt.RefreshTokens;
import workshop.catalog.auth.jwt.TokenService;
import workshop.catalog.auth.jwt.UserDirectory;
import workshop.catalog.auth.permissions.Caller;
import workshop.catalog.auth.permissions.PermissionFilter;
import workshop.catalog.auth.permissions.WhoAmI;
import workshop.catalog.auth.pertool.FeatureGuard;
import workshop.catalog.client.CatalogClient;
import workshop.catalog.server.Catalog;
import workshop.catalog.server.CatalogServer;
import workshop.catalog.server.Layers;
import workshop.catalog.support.TestUsers;

/**
 * What this step's layer costs (a main in test scope, not a test): the same server with and without
 * {@link FeatureGuard} (both behind {@link JwtAuthFilter} and {@link PermissionFilter}), under the same
 * load of raw-HTTP MCP sessions, then the SDK client and a raw client on one thread, and token
 * verifications on one thread. {@code docs/benchmarks.md} says how to run it and what it measured.
 */
public final class LayerBenchmark {

    private LayerBenchmark() {
    }

    public static void main(String[] args) {
        BenchmarkReport.runAndExit(LayerBenchmark::run);
    }

    private static void run() throws Exception {
        BenchmarkReport.Settings settings = BenchmarkReport.Settings.fromSystemProperties(15);
        BenchmarkReport report = new BenchmarkReport(settings, "04-rbac-per-tool", "FeatureGuard");
        UserDirectory users = new TestUsers().directory;
        // An hour, so that a long run (-Dbench.round=60) still sends a valid token at the end.
        TokenService tokens = new TokenService(Config.randomSecret(), Clock.systemUTC(), Duration.ofHours(1));
        String token = tokens.issue(users.enabledUser("bob").orElseThrow()).value();
        String authorization = "Bearer " + token;
        // The step's server as Main builds it, against the same server without this step's layer.
        Wiring wiring = new Wiring(tokens, users, new RefreshTokens(Clock.systemUTC(), RefreshTokens.DEFAULT_LIFETIME),
                new LoginThrottle(Clock.systemUTC()));
        try (CatalogServer with = CatalogServer.start("127.0.0.1", 0, Catalog.seeded(), Set.of(),
                settings.aa() ? withoutGuard(tokens, users) : wiring.layers());
                CatalogServer without = CatalogServer.start("127.0.0.1", 0, Catalog.seeded(), Set.of(),
                        withoutGuard(tokens, users))) {
            McpLoad.Comparison layer = McpLoad.compare(
                    McpLoad.sessions(with.endpoint(), authorization, settings.workers()),
                    McpLoad.sessions(without.endpoint(), authorization, settings.workers()), settings);
            report.layerCost(settings, "both filters + FeatureGuard", "both filters, no FeatureGuard",
                    layer.with(), layer.without());

            McpLoad.Session raw = McpLoad.Session.open(with.endpoint(), authorization);
            try (CatalogClient client = CatalogClient.connect(with.endpoint(), new CatalogClient.Tokens(token, null))) {
                report.clients(settings, List.of("SDK `McpSyncClient` (`CatalogClient`)", "raw java.net.http"), List.of(
                        McpLoad.perSecond(() -> client.call(McpLoad.TOOL, Map.of()),
                                BenchmarkReport.Settings.CLIENT_ROUNDS, settings.clientRound()),
                        McpLoad.perSecond(() -> {
                            raw.callTool();
                            return null;
                        }, BenchmarkReport.Settings.CLIENT_ROUNDS, settings.clientRound())));
            }
        }
        // Two rounds of each first, unreported: the whole check has not run since the first request.
        McpLoad.perSecond(() -> tokens.verifyWithoutCache(token), 2, settings.verifyRound());
        McpLoad.perSecond(() -> tokens.verify(token), 2, settings.verifyRound());
        report.verifications(settings, List.of("`TokenService.verify`, the same token again (remembered)",
                "the whole check every time (`verifyWithoutCache`)"), List.of(
                McpLoad.perSecond(() -> tokens.verify(token), BenchmarkReport.Settings.VERIFY_ROUNDS,
                        settings.verifyRound()),
                McpLoad.perSecond(() -> tokens.verifyWithoutCache(token), BenchmarkReport.Settings.VERIFY_ROUNDS,
                        settings.verifyRound())));
        report.publish(settings);
    }

    /** The server of step 03, as this step measures its layer against: both filters, no {@link FeatureGuard}. */
    private static Layers withoutGuard(TokenService tokens, UserDirectory users) {
        return Layers.NONE.filter(new JwtAuthFilter(tokens)).filter(new PermissionFilter(users))
                .context(Caller::transportContext).tool(WhoAmI.tool());
    }
}
