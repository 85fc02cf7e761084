package workshop.orders;

import workshop.orders.server.Layers;

/**
 * Step 01's security, built in one place: {@link Main}, the demo, the tests and the benchmark all take the
 * layers of their server from here. The next step changes this class, not the server.
 */
public final class Wiring {

    private Wiring() {
    }

    /**
     * The layers of step 01: every {@code /mcp} request must carry the shared secret, or the previous one while
     * it is configured ({@code previousSecret}, null when it is not).
     */
    public static Layers layers(String secret, String previousSecret) {
        // TODO(01.4): put a BearerSecretFilter with this secret in front of /mcp: Layers.NONE.filter(...).
        // TODO(01.6): build the filter with the constructor that also takes the previous secret (null when none is
        //  configured) and a clock: Clock.systemUTC().
        return Layers.NONE; // the starting point has no layer: every request reaches the MCP servlet
    }
}
