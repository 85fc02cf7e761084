package workshop.catalog;

import workshop.catalog.auth.bearer.BearerSecretFilter;
import workshop.catalog.server.Layers;

/**
 * Step 01's security, built in one place: {@link Main}, the demo, the tests and the benchmark all take the
 * layers of their server from here. The next step changes this class, not the server.
 */
public final class Wiring {

    private Wiring() {
    }

    /** The layers of step 01: every {@code /mcp} request must carry the shared secret. */
    public static Layers layers(String secret) {
        return Layers.NONE
                .filter(new BearerSecretFilter(secret));
    }
}
