package workshop.orders.authserver;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * The registered clients, in memory, at most {@value #CAPACITY} of them. Registration is open, so a full store
 * makes room rather than refusing: refusing would lock every new client out for good (nothing is ever deleted),
 * while making room costs at worst a client unused for a long time one more registration, which MCP clients do
 * on their own. The client that goes first is the oldest one never used in an authorization or token request;
 * when every client has been used, the one used least recently. {@link RegistrationLimits} makes filling the
 * store take over half an hour from one address, so a client in use is not pushed out by a burst.
 * (Spring's InMemoryRegisteredClientRepository has no bound and refuses to start empty.)
 */
final class RegisteredClients implements RegisteredClientRepository {

    static final int CAPACITY = 1_000;

    private final int capacity;
    /** Never looked up since registration, oldest first (by id). */
    private final Map<String, RegisteredClient> unused = new LinkedHashMap<>();
    /** Looked up at least once, least recently looked up first (by id). */
    private final Map<String, RegisteredClient> used = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, String> idOfClientId = new HashMap<>();

    RegisteredClients(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public synchronized void save(RegisteredClient client) {
        String id = client.getId();
        if (used.containsKey(id)) {
            used.put(id, client);
        } else {
            if (!unused.containsKey(id)) {
                while (size() >= capacity) {
                    evictOne();
                }
            }
            unused.put(id, client);
        }
        idOfClientId.put(client.getClientId(), id);
    }

    @Override
    public synchronized RegisteredClient findById(String id) {
        RegisteredClient client = unused.remove(id);
        if (client != null) {
            used.put(id, client);
            return client;
        }
        return used.get(id); // moves it to the end of the access order
    }

    @Override
    public synchronized RegisteredClient findByClientId(String clientId) {
        String id = idOfClientId.get(clientId);
        return id == null ? null : findById(id);
    }

    synchronized int size() {
        return unused.size() + used.size();
    }

    private void evictOne() {
        Iterator<RegisteredClient> oldest = (unused.isEmpty() ? used : unused).values().iterator();
        RegisteredClient gone = oldest.next();
        oldest.remove();
        idOfClientId.remove(gone.getClientId());
    }
}
