package dev.airlock.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP/1.1 over a plain socket, for requests a Java HTTP client will not send (NUL bytes, {@code /../}, huge headers,
 * chunked bodies of any size) and for reading whatever comes back, with a deadline.
 */
final class RawHttp {
    private RawHttp() {}

    /** A response as read from the wire: status, headers (lower-case names) and the body after de-chunking. */
    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        JsonNode json() {
            return TestNode.parse(body);
        }
    }

    /** A generated body: {@code size} bytes written in chunks, never held in memory whole. */
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Sends {@code head} (request line and headers, CRLF-terminated, without the blank line) and no body. */
    static Response send(String baseUrl, String head, Duration timeout) {
        return exchange(baseUrl, head, null, timeout);
    }

    /**
     * Sends {@code head}, then {@code body} from another thread while the response is read, so a server that answers
     * before reading everything is seen answering. Write failures after the answer (the server closed) are expected.
     */
    static Response exchange(String baseUrl, String head, Body body, Duration timeout) {
        return exchange(baseUrl, head, body, timeout, false);
    }

    /**
     * As {@link #exchange(String, String, Body, Duration)}; with {@code halfClose} the body is written first and the
     * sending side closed, as a client does that gives up in the middle of its body but waits for an answer.
     */
    static Response exchange(String baseUrl, String head, Body body, Duration timeout, boolean halfClose) {
        URI uri = URI.create(baseUrl);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write((head + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread writer = null;
            if (halfClose) {
                body.writeTo(out);
                out.flush();
                socket.shutdownOutput();
            } else if (body != null) {
                writer = Thread.ofVirtual().start(() -> {
                    try {
                        body.writeTo(out);
                        out.flush();
                    } catch (IOException expected) {
                        // the server answered and closed; the reader has what it needs
                    }
                });
            }
            Response response = read(socket.getInputStream());
            if (writer != null) {
                socket.close();
                writer.join(timeout.toMillis());
            }
            return response;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no complete response within " + timeout, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code total} bytes of JSON-looking text sent as chunks of {@code chunk} bytes; counts what it sent. */
    static Body chunked(long total, int chunk, AtomicLong sent) {
        return out -> {
            byte[] data =
                    "{\"text\":\"".concat("x".repeat(chunk)).substring(0, chunk).getBytes(StandardCharsets.US_ASCII);
            byte[] size = (Integer.toHexString(chunk) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] crlf = "\r\n".getBytes(StandardCharsets.US_ASCII);
            for (long written = 0; written < total; written += chunk) {
                out.write(size);
                out.write(data);
                out.write(crlf);
                sent.addAndGet(chunk);
                data[0] = 'x';
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        };
    }

    private static Response read(InputStream in) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            throw new IOException("the server closed the connection without answering");
        }
        int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
        Map<String, String> headers = new TreeMap<>();
        for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.merge(
                    line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).strip(),
                    (a, b) -> a + ", " + b);
        }
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line(in).strip(), 16);
                    size > 0;
                    size = Integer.parseInt(line(in).strip(), 16)) {
                all.write(in.readNBytes(size));
                line(in);
            }
            body = all.toByteArray();
        } else if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }
}
