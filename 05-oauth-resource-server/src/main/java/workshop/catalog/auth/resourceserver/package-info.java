/**
 * Step 05: the MCP server as an OAuth 2.1 resource server (MCP authorization, 2025-11-25). It issues no tokens and
 * checks no passwords: an authorization server does (here the stand-in of {@code workshop.catalog.authserver}).
 * {@link workshop.catalog.auth.resourceserver.ResourceMetadataServlet} publishes RFC 9728 metadata that names it;
 * {@link workshop.catalog.auth.resourceserver.ResourceServerFilter} answers every request without a good token with
 * a 401 pointing there, and a call needing a scope the token lacks with 403 {@code insufficient_scope};
 * {@link workshop.catalog.auth.resourceserver.AccessTokenVerifier} checks the RS256 tokens against the keys
 * {@link workshop.catalog.auth.resourceserver.IssuerKeys} fetches from the authorization server's JWKS, and
 * {@link workshop.catalog.auth.resourceserver.VerifiedTokens} remembers the tokens that passed;
 * {@link workshop.catalog.auth.resourceserver.ProtectedResource} is the server's canonical URL and issuer;
 * {@link workshop.catalog.auth.resourceserver.SessionOwners} keeps each MCP session to the token's subject, as
 * in step 02. The rules: the module README, "Rules of step 05".
 */
package workshop.catalog.auth.resourceserver;
