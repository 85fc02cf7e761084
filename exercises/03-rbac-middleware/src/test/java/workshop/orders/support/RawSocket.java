package workshop.orders.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP/1.1 written byte by byte over a plain socket. java.net.http refuses what an attacker sends
 * (CR/LF or NUL in a header, a foreign Host, two Content-Lengths, a broken chunk), so the attack
 * tests write the bytes themselves. Text is sent as ISO-8859-1: each char is exactly one byte.
 */
public final class RawSocket {

    /** Long enough for a slow CI machine, short enough that a server that hangs fails the test. */
    public static final int READ_TIMEOUT_MILLIS = 15_000;

    private final int port;

    public RawSocket(int port) {
        this.port = port;
    }

    /** A request to this server with {@code Host} and {@code Connection: close} already set. */
    public Request request(String method, String target) {
        return new Request(this, method + " " + target + " HTTP/1.1")
                .header("Host", "127.0.0.1:" + port)
                .header("Connection", "close");
    }

    /** The status, head and body the server answered. */
    public record Response(int status, String head, String body) {

        /** The first value of a header, matched case-insensitively. */
        public Optional<String> header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return head.lines().skip(1).filter(line -> line.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(line -> line.substring(prefix.length()).strip()).findFirst();
        }

        @Override
        public String toString() {
            return head + "\n\n" + (body.length() > 500 ? body.substring(0, 500) + "..." : body);
        }
    }

    /** A request head and body, built line by line; nothing is checked or escaped. */
    public static final class Request {

        private final RawSocket socket;
        private final String requestLine;
        private final List<String[]> headers = new ArrayList<>();
        private byte[] body = new byte[0];
        private boolean contentLength = true;

        private Request(RawSocket socket, String requestLine) {
            this.socket = socket;
            this.requestLine = requestLine;
        }

        /** Adds a header line, even a second one of the same name. */
        public Request header(String name, String value) {
            headers.add(new String[] {name, value});
            Credentials.sent(name, value);
            return this;
        }

        /** Removes every header of this name (case-insensitive), e.g. to send no Host at all. */
        public Request without(String name) {
            headers.removeIf(header -> header[0].equalsIgnoreCase(name));
            return this;
        }

        /** Sets the body; a {@code Content-Length} of its size is added unless {@link #noContentLength()}. */
        public Request body(String text) {
            return body(text.getBytes(StandardCharsets.UTF_8));
        }

        public Request body(byte[] bytes) {
            this.body = bytes;
            return this;
        }

        /** Sends no {@code Content-Length} of our own: the test writes framing headers itself. */
        Request noContentLength() {
            this.contentLength = false;
            return this;
        }

        byte[] bytes() {
            StringBuilder head = new StringBuilder(requestLine).append("\r\n");
            for (String[] header : headers) {
                head.append(header[0]).append(": ").append(header[1]).append("\r\n");
            }
            if (contentLength && (body.length > 0 || !requestLine.startsWith("GET "))) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            byte[] start = head.toString().getBytes(StandardCharsets.ISO_8859_1);
            byte[] all = new byte[start.length + body.length];
            System.arraycopy(start, 0, all, 0, start.length);
            System.arraycopy(body, 0, all, start.length, body.length);
            return all;
        }

        public Response send() throws IOException {
            return socket.send(bytes());
        }
    }

    /**
     * Writes the bytes and reads one response. The bytes are written on another thread: a server may
     * answer and close while a large body is still being sent, and its answer must still be read.
     */
    public Response send(byte[] request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            Thread writer = new Thread(() -> {
                try {
                    out.write(request);
                    out.flush();
                } catch (IOException closedByServer) {
                    // The server answered early and closed: what it answered is read below.
                }
            }, "raw-socket-writer");
            writer.setDaemon(true);
            writer.start();
            try {
                return read(socket.getInputStream());
            } catch (SocketTimeoutException e) {
                throw new SocketTimeoutException("no complete response within " + READ_TIMEOUT_MILLIS + " ms");
            }
        }
    }

    private static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the server closed the connection without a complete response head: "
                        + headBytes.toString(StandardCharsets.ISO_8859_1));
            }
            headBytes.write(b);
            matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String head = headBytes.toString(StandardCharsets.ISO_8859_1).strip();
        String[] statusLine = head.lines().findFirst().orElse("").split(" ", 3);
        int status = Integer.parseInt(statusLine[1]);
        Response headOnly = new Response(status, head, "");
        byte[] body;
        Optional<String> length = headOnly.header("Content-Length");
        if (length.isPresent()) {
            body = in.readNBytes(Integer.parseInt(length.get()));
        } else if (headOnly.header("Transfer-Encoding").filter(value -> value.equalsIgnoreCase("chunked")).isPresent()) {
            body = chunks(in);
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, head, new String(body, StandardCharsets.UTF_8));
    }

    /** A chunked body, decoded; trailers are skipped. */
    private static byte[] chunks(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in);
            int size = Integer.parseInt(sizeLine.split(";", 2)[0].strip(), 16);
            if (size == 0) {
                while (!line(in).isEmpty()) {
                    // trailer field
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the server closed the connection inside a chunked body");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
