/**
 * A stand-in for a company identity provider (Microsoft Entra ID, Keycloak, Auth0, ...): Spring Authorization
 * Server 7 on a Jetty of its own, so that the orders desk of exercise 05 has a real OAuth 2.1 authorization server
 * to trust. It is not part of the MCP server: Spring lives only in this package, and the MCP side (SDK, Jetty, JJWT)
 * never imports it. What it offers: RFC 8414 and OpenID metadata, open dynamic client registration (RFC 7591) for
 * public clients with loopback redirect URIs, the authorization code flow with PKCE S256 required, RFC 8707
 * {@code resource} turned into the token's {@code aud}, the time of the login into its {@code auth_time}, the users
 * alice, bob and carol with the scopes each may get, a login page, and RS256 tokens whose keys it publishes as a
 * JWKS (and can rotate). {@link workshop.orders.authserver.AuthServer} starts and stops it.
 */
package workshop.orders.authserver;
