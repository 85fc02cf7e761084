package workshop.orders;

import java.time.Clock;
import workshop.orders.auth.bearer.BearerSecretFilter;
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
        return Layers.NONE
                .filter(new BearerSecretFilter(secret, previousSecret, Clock.systemUTC()));
    }
}
