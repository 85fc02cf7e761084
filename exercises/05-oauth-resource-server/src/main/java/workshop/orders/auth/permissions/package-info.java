/**
 * Step 03: permissions for the whole endpoint, in a servlet filter. The token now carries the user's
 * permissions; {@link workshop.orders.auth.permissions.Caller} is who is calling, as the layers after token
 * verification see it, and it reaches the MCP handlers through the transport context. Step 05 keeps the caller
 * and {@code whoami}; step 03's {@code PermissionFilter} is gone with the user directory it asked, and the
 * endpoint needs only a valid token of the authorization server. The rules: docs/design.md#permissions.
 */
package workshop.orders.auth.permissions;
