/**
 * Step 02: signed, expiring access tokens of named users. {@link workshop.catalog.auth.jwt.AuthServlet} logs a
 * user in ({@code /auth/token}, checked against {@link workshop.catalog.auth.jwt.UserDirectory}), refreshes with
 * rotation and reuse detection ({@code /auth/refresh}, {@link workshop.catalog.auth.jwt.RefreshTokens}) and
 * revokes ({@code /auth/revoke}), throttling password guesses ({@link workshop.catalog.auth.jwt.LoginThrottle});
 * {@link workshop.catalog.auth.jwt.TokenService} issues and verifies the JWTs;
 * {@link workshop.catalog.auth.jwt.JwtAuthFilter} lets a request reach {@code /mcp} only with a valid one, and
 * keeps each MCP session to the user who opened it ({@link workshop.catalog.auth.jwt.SessionOwners}).
 * The rules: docs/design.md#tokens.
 */
package workshop.catalog.auth.jwt;
