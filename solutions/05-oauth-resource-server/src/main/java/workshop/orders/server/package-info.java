/**
 * The MCP server, the same in every step: Jetty, the SDK's Streamable HTTP servlet at {@code /mcp}, the domain
 * and its tools, resource and prompt. It takes its security as one value, {@link workshop.orders.server.Layers},
 * which the module's {@code Wiring} builds; the server itself knows no credential.
 */
package workshop.orders.server;
