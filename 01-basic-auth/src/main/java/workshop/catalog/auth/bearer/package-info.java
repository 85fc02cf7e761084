/**
 * Step 01: a shared secret. {@link workshop.catalog.auth.bearer.BearerSecretFilter} lets a request reach the MCP
 * servlet only when it carries {@code Authorization: Bearer <the secret>}; everyone who knows the secret is the
 * same caller, and nothing expires. Step 02 replaces it with signed, expiring tokens of named users.
 */
package workshop.catalog.auth.bearer;
