/**
 * Step 03: permissions for the whole endpoint, in a servlet filter. The token now carries the user's
 * permissions; {@link workshop.orders.auth.permissions.Caller} is who is calling, as the layers after token
 * verification see it, and it reaches the MCP handlers through the transport context;
 * {@link workshop.orders.auth.permissions.PermissionFilter} refuses a disabled account (401) and a caller
 * without the endpoint's permission (403). The rules: docs/design.md#permissions.
 */
package workshop.orders.auth.permissions;
