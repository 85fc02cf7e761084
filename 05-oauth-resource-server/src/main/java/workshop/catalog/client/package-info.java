/**
 * The MCP client of the step. {@link workshop.catalog.client.CatalogClient} is the SDK's sync client over Streamable
 * HTTP; {@link workshop.catalog.client.McpAuthorization}, on the SDK's request customizer and authorization error
 * handler, answers the 401 by discovering the authorization server (resource metadata, authorization server
 * metadata, this client's registration there) and logging the user in, and a 403 {@code insufficient_scope} by
 * asking once for more scopes. {@link workshop.catalog.client.AuthorizationCodeFlow} holds each HTTP step of that
 * flow; {@link workshop.catalog.client.Discovery} lists where each metadata document is looked for;
 * {@link workshop.catalog.client.Registrations} keeps who the client is at each authorization server, a
 * {@link workshop.catalog.client.RegisteredClient} each; {@link workshop.catalog.client.UserAgent} is the user's
 * side (the login page), which {@link workshop.catalog.client.HeadlessLogin} does without a screen.
 */
package workshop.catalog.client;
