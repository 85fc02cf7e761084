/**
 * Step 04: permissions per tool, resource and prompt, checked inside the MCP server.
 * {@link workshop.orders.auth.pertool.FeaturePermissions} is the one table of who may use which feature;
 * {@link workshop.orders.auth.pertool.FeatureGuard} wraps every feature with that check when the server
 * registers it, and filters {@code tools/list}. From step 05 the table names OAuth scopes, and the resource
 * server's filter reads it too, to answer a call the token's scopes do not allow with HTTP 403.
 * {@link workshop.orders.auth.pertool.OrderOwnership} is the one rule the table cannot express: the user who placed
 * an order may cancel it. The rules: docs/design.md#permissions.
 */
package workshop.orders.auth.pertool;
