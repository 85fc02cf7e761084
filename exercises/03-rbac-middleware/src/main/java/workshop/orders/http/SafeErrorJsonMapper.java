package workshop.orders.http;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Works around java-sdk issue 955: the SDK's servlet writes a transport error by serializing the
 * whole {@link McpError}, stack trace included, into the HTTP body. This mapper turns such an error
 * into a plain JSON-RPC error object and cuts the exception text the SDK appends after "{@code : }",
 * which may name library classes. Everything else is delegated unchanged.
 * <p>
 * SDK behaviour (still in 2.2.0): the servlet serializes the whole {@code McpError}, stack trace included.
 */
public final class SafeErrorJsonMapper implements McpJsonMapper {

    private final McpJsonMapper delegate;

    public SafeErrorJsonMapper(McpJsonMapper delegate) {
        this.delegate = delegate;
    }

    static Object sanitize(Object value) {
        if (!(value instanceof McpError error)) {
            return value;
        }
        McpSchema.JSONRPCResponse.JSONRPCError rpc = error.getJsonRpcError();
        int code = rpc == null || rpc.code() == null ? McpSchema.ErrorCodes.INTERNAL_ERROR : rpc.code();
        String message = rpc == null || rpc.message() == null ? "Internal error" : rpc.message();
        int detail = message.indexOf(": ");
        if (detail >= 0) {
            message = message.substring(0, detail);
        }
        // A map, not the SDK's JSONRPCResponse record: that record refuses the null id such errors have.
        // Ordered maps: the same bytes on every run, so a layer that answers "unknown session" on the SDK's
        // behalf can send these very bytes (Map.of orders its keys differently from one JVM to the next).
        Map<String, Object> rpcError = new LinkedHashMap<>();
        rpcError.put("code", code);
        rpcError.put("message", message);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jsonrpc", McpSchema.JSONRPC_VERSION);
        body.put("error", rpcError);
        return body;
    }

    @Override
    public String writeValueAsString(Object value) throws IOException {
        return delegate.writeValueAsString(sanitize(value));
    }

    @Override
    public byte[] writeValueAsBytes(Object value) throws IOException {
        return delegate.writeValueAsBytes(sanitize(value));
    }

    @Override
    public <T> T readValue(String content, Class<T> type) throws IOException {
        return delegate.readValue(content, type);
    }

    @Override
    public <T> T readValue(byte[] content, Class<T> type) throws IOException {
        return delegate.readValue(content, type);
    }

    @Override
    public <T> T readValue(String content, TypeRef<T> type) throws IOException {
        return delegate.readValue(content, type);
    }

    @Override
    public <T> T readValue(byte[] content, TypeRef<T> type) throws IOException {
        return delegate.readValue(content, type);
    }

    @Override
    public <T> T convertValue(Object fromValue, Class<T> type) {
        return delegate.convertValue(fromValue, type);
    }

    @Override
    public <T> T convertValue(Object fromValue, TypeRef<T> type) {
        return delegate.convertValue(fromValue, type);
    }
}
