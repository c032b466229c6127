package dev.airlock.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A local HTTP server that speaks OpenAI's wire protocol: {@code /v1/chat/completions} (JSON and SSE streaming,
 * with {@code stream_options.include_usage}), {@code /v1/embeddings} (float and base64) and {@code /v1/models}.
 * It answers deterministically: a chat answer echoes the last user message; an embedding is derived from the
 * text's hash. Tests script failures with {@link #nextResponses}.
 *
 * <pre>{@code
 * try (FakeOpenAi upstream = FakeOpenAi.start()) {
 *     String baseUrl = upstream.baseUrl(); // http://127.0.0.1:PORT/v1
 * }
 * }</pre>
 */
public final class FakeOpenAi implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private volatile String answerPrefix = "echo: ";
    private final ConcurrentLinkedQueue<String> scriptedAnswers = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String[]> scriptedToolCalls = new ConcurrentLinkedQueue<>();

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Behaviour> scripted = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Behaviour> always = new AtomicReference<>(Behaviour.normal());
    private final Map<String, Behaviour> byModel = new ConcurrentHashMap<>();
    private final AtomicReference<CountDownLatch> gate = new AtomicReference<>();
    private final AtomicInteger atGate = new AtomicInteger();
    private final AtomicInteger concurrent = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();

    /** A request as the upstream received it. */
    public record Received(String method, String path, Map<String, List<String>> headers, JsonNode body) {
        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst())
                    .findFirst()
                    .orElse(null);
        }
    }

    /**
     * How the upstream answers one request.
     *
     * @param status the HTTP status to answer with; 200 for a normal answer
     * @param errorBody the body for a non-200 status
     * @param delayMillis how long to wait before answering
     * @param cutAfterChunks for streams: close the connection after this many chunks, without [DONE]; -1 never
     * @param malformed answer 200 with a body that is not valid JSON
     * @param stallMillis for streams cut by {@code cutAfterChunks}: stay silent this long before closing
     * @param retryAfter the {@code Retry-After} header of an error answer, or null
     * @param reset close the connection without answering, as a crashing upstream does
     * @param usage report token usage (real upstreams do; some local servers do not)
     * @param chunkMillis for streams: wait this long before each chunk, as a model generating slowly does
     * @param dripMillis for streams: after the first chunk, send only an SSE comment line this often, for up to
     *     {@link #DRIP_FOR_MILLIS}, so that the connection is never idle yet the answer never ends; 0 never
     * @param silentMillis for streams: after the headers, stay silent this long before the first chunk, as an upstream
     *     that accepted the stream but never starts generating does
     * @param drop for streams cut by {@code cutAfterChunks}: drop the connection in the middle of the body (it
     *     declared a longer length), as a crashing upstream does, instead of ending the body cleanly
     */
    public record Behaviour(
            int status,
            String errorBody,
            long delayMillis,
            int cutAfterChunks,
            boolean malformed,
            long stallMillis,
            String retryAfter,
            boolean reset,
            boolean usage,
            long chunkMillis,
            long dripMillis,
            long silentMillis,
            boolean drop) {
        public static Behaviour normal() {
            return new Behaviour(200, null, 0, -1, false, 0, null, false, true, 0, 0, 0, false);
        }

        public static Behaviour error(int status, String message) {
            String body = "{\"error\":{\"message\":\"" + message + "\",\"type\":\"server_error\",\"code\":null}}";
            return new Behaviour(status, body, 0, -1, false, 0, null, false, true, 0, 0, 0, false);
        }

        /** 429 with a {@code Retry-After} of this many seconds. */
        public static Behaviour rateLimited(int retryAfterSeconds) {
            String body = "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\","
                    + "\"code\":\"rate_limit_exceeded\"}}";
            return new Behaviour(
                    429, body, 0, -1, false, 0, Integer.toString(retryAfterSeconds), false, true, 0, 0, 0, false);
        }

        public static Behaviour delayed(long millis) {
            return new Behaviour(200, null, millis, -1, false, 0, null, false, true, 0, 0, 0, false);
        }

        public static Behaviour cutStreamAfter(int chunks) {
            return new Behaviour(200, null, 0, chunks, false, 0, null, false, true, 0, 0, 0, false);
        }

        /** Sends some chunks, then goes silent with the connection open, as a hung upstream does. */
        public static Behaviour stallStreamAfter(int chunks, long millis) {
            return new Behaviour(200, null, 0, chunks, false, millis, null, false, true, 0, 0, 0, false);
        }

        public static Behaviour malformedJson() {
            return new Behaviour(200, null, 0, -1, true, 0, null, false, true, 0, 0, 0, false);
        }

        /** Drops the connection without a response. */
        public static Behaviour connectionReset() {
            return new Behaviour(200, null, 0, -1, false, 0, null, true, true, 0, 0, 0, false);
        }

        /** A stream whose chunks come {@code millis} apart. */
        public static Behaviour slowStream(long millis) {
            return new Behaviour(200, null, 0, -1, false, 0, null, false, true, millis, 0, 0, false);
        }

        /** A stream that sends its first chunk, then one comment line every {@code millis} and nothing more. */
        public static Behaviour drippingStream(long millis) {
            return new Behaviour(200, null, 0, -1, false, 0, null, false, true, 0, millis, 0, false);
        }

        /** A stream whose headers come at once, then nothing for {@code millis}, then the answer. */
        public static Behaviour silentStream(long millis) {
            return new Behaviour(200, null, 0, -1, false, 0, null, false, true, 0, 0, millis, false);
        }

        /** Sends some chunks, then drops the connection in the middle of the body. */
        public static Behaviour dropStreamAfter(int chunks) {
            return new Behaviour(200, null, 0, chunks, false, 0, null, false, true, 0, 0, 0, true);
        }

        /** A normal answer without the {@code usage} object. */
        public static Behaviour withoutUsage() {
            return new Behaviour(200, null, 0, -1, false, 0, null, false, false, 0, 0, 0, false);
        }
    }

    private FakeOpenAi(HttpServer server) {
        this.server = server;
    }

    /** Starts on a free port on 127.0.0.1. */
    public static FakeOpenAi start() {
        // The JDK server closes idle keep-alive connections beyond 200 by default, racing clients that reuse them;
        // real upstreams keep far more open. Set before the server classes read it.
        System.setProperty("sun.net.httpserver.maxIdleConnections", "10000");
        try {
            var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
            var fake = new FakeOpenAi(server);
            server.createContext("/", fake::handle);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return fake;
        } catch (IOException e) {
            throw new IllegalStateException("could not start the fake OpenAI upstream", e);
        }
    }

    /** Runs the fake upstream as its own process until killed; prints its base URL on the first line. */
    public static void main(String[] args) throws InterruptedException {
        FakeOpenAi fake = start();
        System.out.println(fake.baseUrl());
        System.out.flush();
        Thread.currentThread().join();
    }

    /** The base URL clients configure, ending in {@code /v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Answers the next requests with these behaviours, one each, then returns to the standing behaviour. */
    public FakeOpenAi nextResponses(Behaviour... behaviours) {
        scripted.addAll(List.of(behaviours));
        return this;
    }

    /** Sets the behaviour for every request not scripted by {@link #nextResponses}. */
    public FakeOpenAi always(Behaviour behaviour) {
        always.set(behaviour);
        return this;
    }

    /** Sets the standing behaviour of requests for one upstream model (the request's {@code model}). */
    public FakeOpenAi always(String upstreamModel, Behaviour behaviour) {
        byModel.put(upstreamModel, behaviour);
        return this;
    }

    /** Holds every request from now on, unanswered, until {@link #release()}: an upstream whose calls all hang. */
    public FakeOpenAi hold() {
        gate.compareAndSet(null, new CountDownLatch(1));
        return this;
    }

    /** Lets the held requests (and later ones) through. */
    public FakeOpenAi release() {
        var held = gate.getAndSet(null);
        if (held != null) {
            held.countDown();
        }
        return this;
    }

    /** How many requests are held by {@link #hold()} now. */
    public int heldNow() {
        return atGate.get();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public Received lastReceived() {
        List<Received> all = received();
        return all.isEmpty() ? null : all.getLast();
    }

    public void clear() {
        release();
        byModel.clear();
        maxConcurrent.set(concurrent.get());
        received.clear();
        scripted.clear();
        scriptedAnswers.clear();
        scriptedToolCalls.clear();
        always.set(Behaviour.normal());
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** The next chat answers' texts, in order, instead of echoing the prompt. */
    public FakeOpenAi nextAnswers(String... texts) {
        scriptedAnswers.addAll(List.of(texts));
        return this;
    }

    /**
     * The next chat answer calls the function {@code name} with {@code arguments} (JSON text) instead of answering in
     * text: {@code tool_calls} with id {@code call_fake_1}, {@code finish_reason: tool_calls}; streamed, the
     * arguments arrive in pieces.
     */
    public FakeOpenAi nextToolCall(String name, String arguments) {
        scriptedToolCalls.add(new String[] {name, arguments});
        return this;
    }

    /** Starts chat answers with {@code prefix} instead of {@code "echo: "}, to tell upstreams apart by their answers. */
    public FakeOpenAi answerPrefix(String prefix) {
        this.answerPrefix = prefix;
        return this;
    }

    /** The most requests this upstream was handling at once since the last {@link #clear()}. */
    public int maxConcurrent() {
        return maxConcurrent.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
        try {
            answer(exchange);
        } finally {
            concurrent.decrementAndGet();
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            JsonNode body = raw.length == 0 ? null : JSON.readTree(raw);
            String path = exchange.getRequestURI().getPath();
            received.add(
                    new Received(exchange.getRequestMethod(), path, Map.copyOf(exchange.getRequestHeaders()), body));
            awaitGate();
            Behaviour behaviour = scripted.poll();
            if (behaviour == null) {
                String model = body == null ? "" : body.path("model").asText("");
                behaviour = byModel.getOrDefault(model, always.get());
            }
            pause(behaviour.delayMillis());
            if (behaviour.reset()) {
                return; // closing the exchange unanswered drops the connection
            }
            if (behaviour.status() != 200) {
                if (behaviour.retryAfter() != null) {
                    exchange.getResponseHeaders().set("Retry-After", behaviour.retryAfter());
                }
                send(exchange, behaviour.status(), "application/json", behaviour.errorBody());
            } else if (behaviour.malformed()) {
                send(exchange, 200, "application/json", "{\"id\": \"chatcmpl-broken\", \"choices\": [");
            } else if (path.endsWith("/chat/completions")) {
                chat(exchange, body, behaviour);
            } else if (path.endsWith("/embeddings")) {
                embeddings(exchange, body);
            } else if (path.endsWith("/models")) {
                send(
                        exchange,
                        200,
                        "application/json",
                        "{\"object\":\"list\",\"data\":[{\"id\":\"fake-model\","
                                + "\"object\":\"model\",\"created\":0,\"owned_by\":\"testkit\"}]}");
            } else {
                send(exchange, 404, "application/json", "{\"error\":{\"message\":\"no route " + path + "\"}}");
            }
        }
    }

    private void chat(HttpExchange exchange, JsonNode body, Behaviour behaviour) throws IOException {
        String model = body.path("model").asText("fake-model");
        String prompt = lastUserText(body);
        String[] toolCall = scriptedToolCalls.poll();
        if (toolCall != null) {
            toolCall(exchange, body, model, toolCall[0], toolCall[1]);
            return;
        }
        String scriptedAnswer = scriptedAnswers.poll();
        String answer = scriptedAnswer != null ? scriptedAnswer : answerPrefix + prompt;
        int promptTokens = tokens(allText(body));
        int completionTokens = tokens(answer);
        if (body.path("stream").asBoolean(false)) {
            boolean usage = behaviour.usage()
                    && body.path("stream_options").path("include_usage").asBoolean(false);
            stream(exchange, model, answer, usage, promptTokens, completionTokens, behaviour);
            return;
        }
        ObjectNode response = JSON.createObjectNode()
                .put("id", "chatcmpl-fake")
                .put("object", "chat.completion")
                .put("created", 1_700_000_000L)
                .put("model", model);
        ObjectNode choice = response.putArray("choices").addObject().put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", answer);
        choice.put("finish_reason", "stop");
        if (behaviour.usage()) {
            usage(response.putObject("usage"), promptTokens, completionTokens);
        }
        response.put("system_fingerprint", "fp_testkit");
        send(exchange, 200, "application/json", JSON.writeValueAsString(response));
    }

    private void toolCall(HttpExchange exchange, JsonNode body, String model, String name, String arguments)
            throws IOException {
        int in = tokens(allText(body));
        int out = tokens(arguments);
        if (body.path("stream").asBoolean(false)) {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream os = exchange.getResponseBody();
            ObjectNode first = JSON.createObjectNode().put("role", "assistant");
            first.putNull("content");
            ObjectNode call = first.putArray("tool_calls")
                    .addObject()
                    .put("index", 0)
                    .put("id", "call_fake_1")
                    .put("type", "function");
            call.putObject("function").put("name", name).put("arguments", "");
            event(os, chunk(model, first, null));
            int half = arguments.length() / 2;
            for (String piece : new String[] {arguments.substring(0, half), arguments.substring(half)}) {
                ObjectNode delta = JSON.createObjectNode();
                delta.putArray("tool_calls")
                        .addObject()
                        .put("index", 0)
                        .putObject("function")
                        .put("arguments", piece);
                event(os, chunk(model, delta, null));
            }
            event(os, chunk(model, JSON.createObjectNode(), "tool_calls"));
            if (body.path("stream_options").path("include_usage").asBoolean(false)) {
                ObjectNode last = base(model);
                last.putArray("choices");
                usage(last.putObject("usage"), in, out);
                event(os, last);
            }
            os.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            os.flush();
            return;
        }
        ObjectNode response = JSON.createObjectNode()
                .put("id", "chatcmpl-fake")
                .put("object", "chat.completion")
                .put("created", 1_700_000_000L)
                .put("model", model);
        ObjectNode choice = response.putArray("choices").addObject().put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        message.putNull("content");
        ObjectNode call = message.putArray("tool_calls")
                .addObject()
                .put("id", "call_fake_1")
                .put("type", "function");
        call.putObject("function").put("name", name).put("arguments", arguments);
        choice.put("finish_reason", "tool_calls");
        usage(response.putObject("usage"), in, out);
        send(exchange, 200, "application/json", JSON.writeValueAsString(response));
    }

    private void stream(
            HttpExchange exchange, String model, String answer, boolean includeUsage, int in, int out, Behaviour how)
            throws IOException {
        int cutAfter = how.cutAfterChunks();
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        // a dropped stream declares more than it sends: closing it short breaks the connection mid-body
        exchange.sendResponseHeaders(200, how.drop() ? 1 << 20 : 0);
        OutputStream os = exchange.getResponseBody();
        if (how.silentMillis() > 0) {
            os.flush();
            pause(how.silentMillis());
        }
        List<String> pieces = new ArrayList<>();
        for (String word : answer.split("(?<= )")) {
            pieces.add(word);
        }
        int sent = 0;
        event(os, chunk(model, JSON.createObjectNode().put("role", "assistant").put("content", ""), null));
        for (String piece : pieces) {
            if (how.dripMillis() > 0 && sent == 1) {
                drip(os, how.dripMillis());
                return; // the connection closes without [DONE]
            }
            pause(how.chunkMillis());
            if (cutAfter >= 0 && sent >= cutAfter) {
                pause(how.stallMillis());
                return; // the connection closes without [DONE]
            }
            event(os, chunk(model, JSON.createObjectNode().put("content", piece), null));
            sent++;
        }
        event(os, chunk(model, JSON.createObjectNode(), "stop"));
        if (includeUsage) {
            ObjectNode last = base(model);
            last.putArray("choices");
            usage(last.putObject("usage"), in, out);
            event(os, last);
        }
        os.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        os.flush();
    }

    /** How long a dripping stream keeps dripping before it gives up, so a test of the old behaviour ends. */
    public static final long DRIP_FOR_MILLIS = 20_000;

    private static void drip(OutputStream os, long everyMillis) throws IOException {
        long until = System.nanoTime() + DRIP_FOR_MILLIS * 1_000_000L;
        while (System.nanoTime() < until) {
            pause(everyMillis);
            os.write(": still here\n\n".getBytes(StandardCharsets.UTF_8));
            os.flush();
        }
    }

    private static ObjectNode chunk(String model, ObjectNode delta, String finishReason) {
        ObjectNode chunk = base(model);
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        chunk.putNull("usage");
        return chunk;
    }

    private static ObjectNode base(String model) {
        return JSON.createObjectNode()
                .put("id", "chatcmpl-fake")
                .put("object", "chat.completion.chunk")
                .put("created", 1_700_000_000L)
                .put("model", model)
                .put("system_fingerprint", "fp_testkit");
    }

    private static void event(OutputStream os, JsonNode data) throws IOException {
        os.write(("data: " + JSON.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
        os.flush();
    }

    private void embeddings(HttpExchange exchange, JsonNode body) throws IOException {
        List<String> inputs = new ArrayList<>();
        JsonNode input = body.path("input");
        if (input.isArray()) {
            input.forEach(n -> inputs.add(n.asText()));
        } else {
            inputs.add(input.asText());
        }
        boolean base64 = "base64".equals(body.path("encoding_format").asText());
        ObjectNode response = JSON.createObjectNode().put("object", "list");
        ArrayNode data = response.putArray("data");
        int total = 0;
        for (int i = 0; i < inputs.size(); i++) {
            float[] vector = vectorOf(inputs.get(i));
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            if (base64) {
                ByteBuffer buf = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(vector);
                item.put("embedding", Base64.getEncoder().encodeToString(buf.array()));
            } else {
                ArrayNode values = item.putArray("embedding");
                for (float v : vector) {
                    values.add(v);
                }
            }
            total += tokens(inputs.get(i));
        }
        response.put("model", body.path("model").asText("fake-embedding"));
        response.putObject("usage").put("prompt_tokens", total).put("total_tokens", total);
        send(exchange, 200, "application/json", JSON.writeValueAsString(response));
    }

    /** The deterministic 8-dimensional unit vector the fake returns for a text. */
    public static float[] vectorOf(String text) {
        float[] v = new float[8];
        int h = text.hashCode();
        double norm = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = ((h >>> (i * 4)) & 0xF) + 1;
            norm += v[i] * v[i];
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] / Math.sqrt(norm));
        }
        return v;
    }

    private static void usage(ObjectNode usage, int in, int out) {
        usage.put("prompt_tokens", in).put("completion_tokens", out).put("total_tokens", in + out);
    }

    private static String lastUserText(JsonNode body) {
        String text = "";
        for (JsonNode m : body.path("messages")) {
            if ("user".equals(m.path("role").asText())) {
                text = m.path("content").asText();
            }
        }
        return text;
    }

    /** The prompt as an upstream bills it: every message, and the text of the tool definitions. */
    private static String allText(JsonNode body) {
        StringBuilder all = new StringBuilder();
        body.path("messages")
                .forEach(m -> all.append(m.path("content").asText()).append(' '));
        appendText(body.path("tools"), all);
        return all.toString();
    }

    private static void appendText(JsonNode node, StringBuilder all) {
        if (node.isTextual()) {
            all.append(node.asText()).append(' ');
        }
        node.forEach(child -> appendText(child, all));
    }

    /** Whitespace-separated words: a stand-in tokenizer whose counts tests can predict. */
    public static int tokens(String text) {
        String t = text.strip();
        return t.isEmpty() ? 0 : t.split("\\s+").length;
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private void awaitGate() {
        var held = gate.get();
        if (held == null) {
            return;
        }
        atGate.incrementAndGet();
        try {
            held.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            atGate.decrementAndGet();
        }
    }

    private static void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
