/**
 * The MCP client of the step: {@link workshop.orders.client.AuthorizationCodeFlow} gets an access token the way
 * an MCP client discovers it (401 challenge, resource metadata, authorization server metadata, registration,
 * authorization code with PKCE); {@link workshop.orders.client.OrdersClient} is the SDK's sync client over
 * Streamable HTTP with that token on every HTTP request, and {@code explain}, which turns a failure into one line.
 */
package workshop.orders.client;
