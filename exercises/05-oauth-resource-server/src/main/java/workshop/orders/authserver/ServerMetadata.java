package workshop.orders.authserver;

import java.util.List;
import java.util.Map;

/**
 * What the RFC 8414 and OpenID metadata advertise: only what a client registered here can use. Spring lists every
 * grant and client authentication it implements; this server registers public clients only (no secret, so no
 * client_credentials, token exchange, revocation or introspection, which need client authentication), issues them no
 * refresh tokens (Spring never does to a public client), and binds tokens neither to a TLS certificate nor to DPoP.
 */
final class ServerMetadata {

    private ServerMetadata() {
    }

    /** Edits the claims of either document in place. */
    static void onlyWhatClientsCanUse(Map<String, Object> claims) {
        claims.put("grant_types_supported", List.of("authorization_code"));
        claims.put("token_endpoint_auth_methods_supported", List.of("none"));
        claims.put("code_challenge_methods_supported", List.of("S256"));
        claims.put("response_types_supported", List.of("code"));
        for (String unusable : List.of("revocation_endpoint", "revocation_endpoint_auth_methods_supported",
                "introspection_endpoint", "introspection_endpoint_auth_methods_supported",
                "device_authorization_endpoint", "pushed_authorization_request_endpoint",
                "tls_client_certificate_bound_access_tokens", "dpop_signing_alg_values_supported")) {
            claims.remove(unusable);
        }
        // RFC 9207: every authorization response carries iss (AuthorizationPolicy), so a client can check it.
        claims.put("authorization_response_iss_parameter_supported", true);
    }
}
