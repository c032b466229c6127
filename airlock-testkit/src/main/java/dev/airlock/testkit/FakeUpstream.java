package dev.airlock.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.airlock.testkit.FakeOpenAi.Received;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the local stand-ins for native provider APIs share: a server on a free port of 127.0.0.1, the requests as
 * received, scripted failures in the provider's own error shape, scripted tool calls, and deterministic answers (the
 * last user text after a prefix; tokens counted as whitespace-separated words, see {@link FakeOpenAi#tokens}).
 */
public abstract class FakeUpstream implements AutoCloseable {
    protected static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Failure> always = new AtomicReference<>();
    private final ConcurrentLinkedQueue<String[]> toolCalls = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Failure> streamFailures = new ConcurrentLinkedQueue<>();
    private volatile String answerPrefix = "echo: ";

    /**
     * An error answer: the HTTP status, the provider's error type (e.g. {@code overloaded_error}, {@code
     * ThrottlingException}) and its message.
     */
    public record Failure(int status, String type, String message) {}

    protected FakeUpstream() {
        System.setProperty("sun.net.httpserver.maxIdleConnections", "10000");
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + getClass().getSimpleName(), e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** {@code http://127.0.0.1:PORT}, without the API's path. */
    public String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The base URL a client configures. */
    public abstract String baseUrl();

    /** Answers the next request with this error, in the provider's error shape. */
    public FakeUpstream failNext(int status, String type, String message) {
        failures.add(new Failure(status, type, message));
        return this;
    }

    /** Answers every request with this error until {@link #clear()}. */
    public FakeUpstream failAlways(int status, String type, String message) {
        always.set(new Failure(status, type, message));
        return this;
    }

    /** The next stream opens normally, then ends with this error in the stream before any content. */
    public FakeUpstream failNextStream(String type, String message) {
        streamFailures.add(new Failure(200, type, message));
        return this;
    }

    /** The next answer calls the function {@code name} with {@code arguments} (JSON text) instead of answering. */
    public FakeUpstream nextToolCall(String name, String arguments) {
        toolCalls.add(new String[] {name, arguments});
        return this;
    }

    /** Starts answers with {@code prefix} instead of {@code "echo: "}. */
    public FakeUpstream answerPrefix(String prefix) {
        answerPrefix = prefix;
        return this;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public Received lastReceived() {
        List<Received> all = received();
        return all.isEmpty() ? null : all.getLast();
    }

    public void clear() {
        received.clear();
        failures.clear();
        streamFailures.clear();
        toolCalls.clear();
        always.set(null);
        answerPrefix = "echo: ";
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            JsonNode body = raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw);
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            received.add(new Received(
                    exchange.getRequestMethod(),
                    query == null ? path : path + "?" + query,
                    Map.copyOf(exchange.getRequestHeaders()),
                    body));
            Failure refused = authenticate(exchange, raw);
            if (refused == null) {
                refused = failures.poll();
            }
            if (refused == null) {
                refused = always.get();
            }
            if (refused != null) {
                fail(exchange, refused);
                return;
            }
            String[] toolCall = toolCalls.poll();
            Answer answer = toolCall != null
                    ? new Answer(
                            null,
                            toolCall[0],
                            toolCall[1],
                            FakeOpenAi.tokens(allText(body)),
                            FakeOpenAi.tokens(toolCall[1]))
                    : text(body);
            answer(exchange, path, query, body, answer, streamFailures.poll());
        }
    }

    private Answer text(JsonNode body) {
        String text = answerPrefix + lastUserText(body);
        return new Answer(text, null, null, FakeOpenAi.tokens(allText(body)), FakeOpenAi.tokens(text));
    }

    /**
     * What to answer: {@code text}, or a call of {@code tool} with {@code arguments}; tokens in and out.
     */
    protected record Answer(String text, String tool, String arguments, int in, int out) {
        public boolean isToolCall() {
            return tool != null;
        }

        /** The text in word-sized pieces, as a stream sends it. */
        public List<String> pieces() {
            return List.of(text.split("(?<= )"));
        }
    }

    /** Checks the request's credentials; returns the failure to answer with, or null when they are good. */
    protected abstract Failure authenticate(HttpExchange exchange, byte[] body);

    /** Answers normally (a whole answer or a stream), or, for a stream, with {@code streamFailure} after opening. */
    protected abstract void answer(
            HttpExchange exchange, String path, String query, JsonNode body, Answer answer, Failure streamFailure)
            throws IOException;

    /** Answers with the error in the provider's own shape. */
    protected abstract void fail(HttpExchange exchange, Failure failure) throws IOException;

    /** The text of the conversation's last user turn, in the provider's request shape. */
    protected abstract String lastUserText(JsonNode body);

    /**
     * Everything the prompt holds as text (messages, system, tool definitions), for counting tokens; the protocol's
     * own words (roles, block types, the model's name) are not counted.
     */
    protected static String allText(JsonNode body) {
        StringBuilder all = new StringBuilder();
        collect(body, all);
        return all.toString();
    }

    private static final Set<String> PROTOCOL = Set.of("role", "type", "model", "format");

    private static void collect(JsonNode node, StringBuilder all) {
        if (node.isTextual()) {
            all.append(node.asText()).append(' ');
        } else if (node.isObject()) {
            node.properties().forEach(field -> {
                if (!PROTOCOL.contains(field.getKey())) {
                    collect(field.getValue(), all);
                }
            });
        } else {
            node.forEach(child -> collect(child, all));
        }
    }

    protected static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    protected static void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        send(exchange, status, "application/json", JSON.writeValueAsString(body));
    }

    /** Starts a streamed answer of this content type; write with {@link OutputStream#write} and flush per event. */
    protected static OutputStream startStream(HttpExchange exchange, String type) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, 0);
        return exchange.getResponseBody();
    }
}
