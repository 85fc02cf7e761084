package workshop.orders.auth.resourceserver;

import io.jsonwebtoken.security.Jwk;
import io.jsonwebtoken.security.JwkSet;
import io.jsonwebtoken.security.Jwks;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authorization server's public signing keys, by {@code kid}. Where they are is found once, from its metadata:
 * RFC 8414 ({@code /.well-known/oauth-authorization-server}), then OpenID Connect Discovery
 * ({@code /.well-known/openid-configuration}); the metadata must name the configured issuer (RFC 8414 §3.3).
 * The JWK Set is fetched with java.net.http and parsed by JJWT; only RSA keys for signatures are kept.
 * <ul>
 * <li>a {@code kid} that is not in the cache refetches the set, but at most once per {@link #REFETCH_INTERVAL}:
 * tokens with made-up kids cannot make this server hammer the authorization server;</li>
 * <li>a cache older than {@link #MAX_AGE} is refetched at its next use, so a key the server stopped publishing
 * stops being trusted;</li>
 * <li>one fetch at a time, and none holds up a token whose key is already cached: a hung authorization server
 * delays only the callers that need its answer, each for at most {@link #WAIT_FOR_FETCH}.</li>
 * </ul>
 * Time comes from the injected clock, so the tests move it instead of waiting.
 */
public final class IssuerKeys {

    public static final Duration REFETCH_INTERVAL = Duration.ofSeconds(30);
    public static final Duration MAX_AGE = Duration.ofMinutes(10);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** How long a caller that needs a fetch in progress waits for it, at most; then the keys are unavailable. */
    public static final Duration WAIT_FOR_FETCH = Duration.ofSeconds(1);
    /** A metadata document or key set is a few kilobytes; more is not read. */
    private static final int MAX_DOCUMENT_BYTES = 256 * 1024;
    private static final Logger log = LoggerFactory.getLogger(IssuerKeys.class);

    /** The keys cannot be had right now (the authorization server is down or answers nonsense). */
    public static final class UnavailableException extends Exception {
        private static final long serialVersionUID = 1L;

        UnavailableException(String message) {
            super(message, null, false, false);
        }
    }

    private final URI issuer;
    private final Clock clock;
    private final HttpClient http;
    private final AtomicInteger fetches = new AtomicInteger();
    private final ReentrantLock fetching = new ReentrantLock();
    /** Read without the lock: a fetch replaces the whole snapshot at once. */
    private volatile Snapshot snapshot = new Snapshot(Map.of(), null);
    private URI jwksUri;

    /** The keys of the last fetch, and when it started (a failed fetch counts, with the keys it left). */
    private record Snapshot(Map<String, RSAPublicKey> keys, Instant fetchedAt) {

        boolean stale(Instant now) {
            return fetchedAt == null || !now.isBefore(fetchedAt.plus(MAX_AGE)) || now.isBefore(fetchedAt);
        }

        boolean mayRefetch(Instant now) {
            return fetchedAt == null || !now.isBefore(fetchedAt.plus(REFETCH_INTERVAL)) || now.isBefore(fetchedAt);
        }

        boolean needsFetch(String kid, Instant now) {
            return stale(now) || (!keys.containsKey(kid) && mayRefetch(now));
        }
    }

    public IssuerKeys(URI issuer, Clock clock, HttpClient http) {
        this.issuer = issuer;
        this.clock = clock;
        this.http = http;
    }

    /**
     * The published RSA key with this {@code kid}, or null when the authorization server does not publish one (after
     * a refetch, if the interval allows one).
     */
    public RSAPublicKey find(String kid) throws UnavailableException {
        Snapshot known = snapshot;
        if (known.keys().containsKey(kid) && !known.stale(clock.instant())) {
            return known.keys().get(kid); // cached: no lock, never a wait
        }
        boolean mine = fetching.tryLock();
        if (!mine && known.keys().containsKey(kid)) {
            return known.keys().get(kid); // a fetch is running: the cached key serves until it ends
        }
        try {
            // A fetch is running and its answer may hold this kid: wait for it, but not for long.
            if (!mine && !fetching.tryLock(WAIT_FOR_FETCH.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new UnavailableException("the authorization server's keys are still being fetched");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while waiting for the authorization server's keys");
        }
        try {
            Instant now = clock.instant();
            if (snapshot.needsFetch(kid, now)) {
                fetch(now);
            }
            return snapshot.keys().get(kid);
        } finally {
            fetching.unlock();
        }
    }

    /** How many times the key set was fetched: the tests count them. */
    int fetches() {
        return fetches.get();
    }

    private void fetch(Instant now) throws UnavailableException {
        // A failed fetch counts as one too: an unreachable server is not asked again before the interval is over.
        snapshot = new Snapshot(snapshot.keys(), now);
        fetches.incrementAndGet();
        if (jwksUri == null) {
            jwksUri = discoverJwksUri();
        }
        String body = get(jwksUri);
        JwkSet set;
        try {
            set = Jwks.setParser().ignoreUnsupported(true).build().parse(body);
        } catch (RuntimeException unreadable) {
            throw new UnavailableException("the authorization server's key set cannot be read");
        }
        Map<String, RSAPublicKey> found = new HashMap<>();
        for (Jwk<?> jwk : set.getKeys()) {
            Key key = jwk.toKey();
            boolean forSignatures = jwk.get("use") == null || "sig".equals(jwk.get("use"));
            boolean rs256 = jwk.getAlgorithm() == null || "RS256".equals(jwk.getAlgorithm());
            if (key instanceof RSAPublicKey rsa && jwk.getId() != null && forSignatures && rs256) {
                found.put(jwk.getId(), rsa);
            }
        }
        snapshot = new Snapshot(Map.copyOf(found), now);
        log.debug("Fetched {} signing key(s) of {}", found.size(), issuer);
    }

    private URI discoverJwksUri() throws UnavailableException {
        for (String wellKnown : List.of("/.well-known/oauth-authorization-server", "/.well-known/openid-configuration")) {
            Map<String, Object> metadata;
            try {
                metadata = McpJsonDefaults.getMapper().readValue(get(issuer.resolve(wellKnown)),
                        new TypeRef<Map<String, Object>>() {
                        });
            } catch (UnavailableException | IOException | RuntimeException notThere) {
                continue;
            }
            if (!issuer.toString().equals(metadata.get("issuer"))) {
                throw new UnavailableException("the authorization server's metadata names another issuer");
            }
            if (metadata.get("jwks_uri") instanceof String uri && (uri.startsWith("https://") || uri.startsWith("http://"))) {
                return URI.create(uri);
            }
            throw new UnavailableException("the authorization server's metadata has no jwks_uri");
        }
        throw new UnavailableException("the authorization server's metadata cannot be fetched");
    }

    private String get(URI uri) throws UnavailableException {
        try {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                byte[] bytes = body.readNBytes(MAX_DOCUMENT_BYTES + 1);
                if (response.statusCode() != 200 || bytes.length > MAX_DOCUMENT_BYTES) {
                    throw new UnavailableException(uri.getPath() + " of the authorization server answered "
                            + response.statusCode());
                }
                return new String(bytes, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UnavailableException("the authorization server cannot be reached");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while fetching the authorization server's keys");
        }
    }
}
