/**
 * The MCP client of the step: the SDK's sync client over Streamable HTTP, adding the step's credential to every
 * HTTP request it sends, and {@code explain}, which turns a failure into one line.
 */
package workshop.orders.client;
