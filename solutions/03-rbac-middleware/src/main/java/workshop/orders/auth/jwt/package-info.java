/**
 * Step 02: signed, expiring access tokens of named users. {@link workshop.orders.auth.jwt.AuthServlet} logs a
 * user in ({@code /auth/token}, checked against {@link workshop.orders.auth.jwt.UserDirectory}), refreshes with
 * rotation and reuse detection ({@code /auth/refresh}, {@link workshop.orders.auth.jwt.RefreshTokens}) and
 * revokes ({@code /auth/revoke}), throttling password guesses ({@link workshop.orders.auth.jwt.LoginThrottle});
 * {@link workshop.orders.auth.jwt.TokenService} issues and verifies the JWTs;
 * {@link workshop.orders.auth.jwt.JwtAuthFilter} lets a request reach {@code /mcp} only with a valid one, and
 * keeps each MCP session to the user who opened it ({@link workshop.orders.auth.jwt.SessionOwners}).
 * The rules: docs/design.md#tokens.
 */
package workshop.orders.auth.jwt;
