package workshop.catalog.client;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import workshop.catalog.client.AuthorizationCodeFlow.ServerMetadata;

/**
 * Who this client is at each authorization server, one {@link RegisteredClient} per issuer: a client_id from one
 * issuer is never shown to another (MCP 2026-07-28, when the resource metadata moves to a new authorization
 * server, the client registers there anew). The MCP spec's order of ways to get one:
 * <ol>
 *   <li>a client registered beforehand, from configuration (its client_id and secret);</li>
 *   <li>a Client ID Metadata Document: when the server advertises {@code client_id_metadata_document_supported}
 *       and this client publishes one, its https URL is the client_id, no registration;</li>
 *   <li>Dynamic Client Registration (RFC 7591) at the server's {@code registration_endpoint}.</li>
 * </ol>
 * Not thread-safe: {@link McpAuthorization} calls it under its own lock.
 */
public final class Registrations {

    private final Map<String, RegisteredClient> byIssuer = new HashMap<>();
    private final Map<String, PreRegistered> configured = new HashMap<>();
    private PreRegistered forAnyIssuer;
    private URI metadataDocument;

    private record PreRegistered(String clientId, String secret) {
    }

    /**
     * A client registered beforehand at {@code issuer}; {@code issuer} null: at the authorization server the MCP
     * server names first (and at no other). {@code secret} null for a public client.
     */
    public Registrations preRegistered(URI issuer, String clientId, String secret) {
        if (issuer == null) {
            forAnyIssuer = new PreRegistered(clientId, secret);
        } else {
            configured.put(issuer.toString(), new PreRegistered(clientId, secret));
        }
        return this;
    }

    /** The https URL where this client publishes its Client ID Metadata Document. */
    public Registrations clientMetadataDocument(URI url) {
        this.metadataDocument = url;
        return this;
    }

    /** This client at {@code server}: kept from before, configured, its metadata document, or registered now. */
    RegisteredClient at(ServerMetadata server, BiConsumer<String, String> shown) {
        String issuer = server.issuer().toString();
        RegisteredClient known = byIssuer.get(issuer);
        if (known != null) {
            return known;
        }
        PreRegistered configuredHere = configured.remove(issuer);
        if (configuredHere == null && forAnyIssuer != null) {
            configuredHere = forAnyIssuer;
            forAnyIssuer = null;
        }
        RegisteredClient client;
        if (configuredHere != null) {
            client = new RegisteredClient(configuredHere.clientId(), configuredHere.secret(),
                    method(server, configuredHere.secret() != null));
            shown.accept("client_id " + client.clientId() + " (registered beforehand, from configuration)",
                    client.method() + " at " + server.token());
        } else if (metadataDocument != null && server.clientIdMetadataDocuments()) {
            client = RegisteredClient.publicClient(metadataDocument.toString());
            shown.accept("client_id " + client.clientId() + " (a Client ID Metadata Document)",
                    issuer + " fetches it: no registration");
        } else {
            // A native application keeps no secret: a public client, unless the server lists methods without none.
            List<String> methods = server.authMethods();
            String method = method(server, !methods.isEmpty() && !methods.contains(RegisteredClient.NONE));
            client = AuthorizationCodeFlow.register(server, method);
            shown.accept("POST " + server.registration() + " {redirect_uris: [" + AuthorizationCodeFlow.REDIRECT_URI
                    + "], application_type: native, token_endpoint_auth_method: " + method + "} (RFC 7591)",
                    "201: client_id " + client.clientId() + (client.secret() == null ? " (a public client, no secret)"
                            : " and a secret (" + client.method() + ")"));
        }
        byIssuer.put(issuer, client);
        return client;
    }

    /**
     * How a client authenticates at this server's token endpoint: {@code none} without a secret; with one,
     * {@code client_secret_basic} unless the server lists only {@code client_secret_post} (RFC 8414 §2: a server
     * that lists no method supports {@code client_secret_basic}).
     */
    private static String method(ServerMetadata server, boolean hasSecret) {
        if (!hasSecret) {
            return RegisteredClient.NONE;
        }
        List<String> methods = server.authMethods();
        return methods.contains(RegisteredClient.POST) && !methods.contains(RegisteredClient.BASIC)
                ? RegisteredClient.POST : RegisteredClient.BASIC;
    }
}
