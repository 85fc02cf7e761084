package workshop.catalog.client;

import io.modelcontextprotocol.json.McpJsonDefaults;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A real Jetty server on a free port that serves what a test puts on it: JSON documents at paths (metadata the
 * lesson's authorization server cannot produce: an issuer with a path, another issuer's name, no metadata at all)
 * and answers computed per request (an authorization endpoint that redirects with a chosen {@code iss}, a token
 * endpoint). Anything else is 404. It records every request as {@code "GET /path"}, and each request's
 * {@code Authorization} header and body, so a test sees in which order the client looked where.
 */
final class MetadataServer implements AutoCloseable {

    /** One request as the server saw it. */
    record Seen(String line, String query, String authorization, String body) {
    }

    /** What an answer is: status, headers, body. */
    record Answer(int status, Map<String, String> headers, String body) {
        static Answer json(Object document) {
            try {
                return new Answer(200, Map.of("Content-Type", "application/json"),
                        McpJsonDefaults.getMapper().writeValueAsString(document));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        static Answer redirect(String location) {
            return new Answer(302, Map.of("Location", location), "");
        }
    }

    private final Server jetty = new Server();
    private final Map<String, Function<Seen, Answer>> routes = new ConcurrentHashMap<>();
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final URI origin;

    MetadataServer() throws Exception {
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        jetty.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String path = request.getHttpURI().getPath();
                Seen one = new Seen(request.getMethod() + " " + path, request.getHttpURI().getQuery(),
                        request.getHeaders().get(HttpHeader.AUTHORIZATION),
                        Content.Source.asString(request, StandardCharsets.UTF_8));
                seen.add(one);
                Function<Seen, Answer> route = routes.get(request.getMethod() + " " + path);
                Answer answer = route == null ? new Answer(404, Map.of(), "") : route.apply(one);
                response.setStatus(answer.status());
                answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
                response.write(true, ByteBuffer.wrap(answer.body().getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        jetty.start();
        origin = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    /** Serves {@code document} as JSON at {@code GET path}. */
    MetadataServer json(String path, Object document) {
        routes.put("GET " + path, request -> Answer.json(document));
        return this;
    }

    /** Answers {@code "METHOD /path"} with what {@code answer} computes from the request. */
    MetadataServer route(String methodAndPath, Function<Seen, Answer> answer) {
        routes.put(methodAndPath, answer);
        return this;
    }

    /** An address on this server. */
    URI at(String path) {
        return URI.create(origin + path);
    }

    /** The request lines the server saw, in order ({@code "GET /.well-known/..."}). */
    List<String> lines() {
        return seen.stream().map(Seen::line).toList();
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
    }
}
