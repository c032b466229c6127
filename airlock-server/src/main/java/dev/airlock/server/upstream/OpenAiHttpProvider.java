package dev.airlock.server.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.decision.Usage;
import dev.airlock.provider.ChatChunk;
import dev.airlock.provider.ChatMessage;
import dev.airlock.provider.ChatProvider;
import dev.airlock.provider.ChatRequest;
import dev.airlock.provider.ChatResult;
import dev.airlock.provider.ChunkSink;
import dev.airlock.provider.EmbeddingProvider;
import dev.airlock.provider.EmbeddingRequest;
import dev.airlock.provider.EmbeddingResult;
import dev.airlock.provider.ProviderException;
import dev.airlock.provider.ProviderException.Kind;
import dev.airlock.provider.StreamSummary;
import dev.airlock.server.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * An OpenAI-compatible HTTP upstream: OpenAI, Azure OpenAI, vLLM, Ollama, llama.cpp server. Connections are
 * pooled per upstream; streams pass through chunk by chunk without buffering the whole answer, and a stream that
 * stalls longer than the timeout, or is still running when the call's deadline passes, is cut; the upstream's token
 * usage is captured, asking for it in streams when the caller did not.
 */
public final class OpenAiHttpProvider implements ChatProvider, EmbeddingProvider, AutoCloseable {
    private static final ObjectMapper JSON = Json.mapper();

    private final String name;
    private final UpstreamHttp http;
    private final Clock clock;
    private final TokenCounter tokens = TokenCounter.shared();

    /**
     * @param baseUrl the API root, e.g. {@code https://api.openai.com/v1}
     * @param apiKey sent as {@code Authorization: Bearer}, or null for none
     * @param headers extra headers on every request
     * @param query extra query parameters on every request (Azure's {@code api-version})
     * @param timeout longest wait for a whole answer (a stream: for its start), and longest silence within a stream
     * @param connectTimeout longest wait for a connection
     */
    public OpenAiHttpProvider(
            String name,
            String baseUrl,
            @Nullable String apiKey,
            Map<String, String> headers,
            Map<String, String> query,
            Duration timeout,
            Duration connectTimeout) {
        this(name, baseUrl, apiKey, headers, query, timeout, connectTimeout, null);
    }

    /** @param clientIdleTimeout the HTTP client's default idle timeout, or null for Jetty's (tests shorten it) */
    OpenAiHttpProvider(
            String name,
            String baseUrl,
            @Nullable String apiKey,
            Map<String, String> headers,
            Map<String, String> query,
            Duration timeout,
            Duration connectTimeout,
            @Nullable Duration clientIdleTimeout) {
        this(name, baseUrl, apiKey, headers, query, timeout, connectTimeout, clientIdleTimeout, Clock.systemUTC());
    }

    /** @param clock what a {@code Retry-After} given as a date is counted from */
    OpenAiHttpProvider(
            String name,
            String baseUrl,
            @Nullable String apiKey,
            Map<String, String> headers,
            Map<String, String> query,
            Duration timeout,
            Duration connectTimeout,
            @Nullable Duration clientIdleTimeout,
            Clock clock) {
        this.name = name;
        this.http = new UpstreamHttp(name, baseUrl, apiKey, headers, query, timeout, connectTimeout, clientIdleTimeout);
        this.clock = clock;
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ChatResult complete(String upstreamModel, ChatRequest request) {
        return complete(upstreamModel, request, null);
    }

    @Override
    public ChatResult complete(String upstreamModel, ChatRequest request, @Nullable Duration limit) {
        Map<String, Object> body = chatBody(upstreamModel, request, false);
        UpstreamHttp.Answer response = http.post("/chat/completions", bytes(body), limit);
        requireSuccess(response.status(), response.body(), response.retryAfter());
        JsonNode json = parse(response.body());
        JsonNode choice = json.path("choices").path(0);
        if (!json.path("choices").isArray()) {
            throw malformed("a chat completion without 'choices'", false);
        }
        String text = choice.path("message").path("content").asText("");
        return new ChatResult(
                new String(response.body(), StandardCharsets.UTF_8),
                text,
                choice.path("finish_reason").asText(null),
                usageOr(json.path("usage"), request, text),
                storable(json.path("model").asText(upstreamModel)));
    }

    @Override
    public StreamSummary stream(String upstreamModel, ChatRequest request, ChunkSink sink) {
        return stream(upstreamModel, request, sink, null);
    }

    @Override
    public StreamSummary stream(String upstreamModel, ChatRequest request, ChunkSink sink, @Nullable Duration limit) {
        return stream(upstreamModel, request, sink, limit, null);
    }

    @Override
    public StreamSummary stream(
            String upstreamModel,
            ChatRequest request,
            ChunkSink sink,
            @Nullable Duration startWithin,
            @Nullable Duration endWithin) {
        Map<String, Object> body = chatBody(upstreamModel, request, true);
        UpstreamHttp.Streamed response = http.stream("/chat/completions", bytes(body), startWithin, endWithin);
        var relayed = new Relayed(sink, response);
        try (response) {
            InputStream in = response.body();
            if (response.status() / 100 != 2) {
                response.started(); // an error answer is read whole, however long its body takes
                requireSuccess(response.status(), in.readAllBytes(), response.retryAfter());
            }
            StreamSummary summary = relay(in, upstreamModel, request.includeUsage(), relayed);
            if (summary.usage().totalTokens() > 0) {
                return summary;
            }
            return new StreamSummary(
                    summary.text(),
                    summary.finishReason(),
                    tokens.count(request, summary.text()),
                    summary.upstreamModel());
        } catch (IOException e) {
            if (e.getCause() instanceof UpstreamHttp.DeadlinePassed passed) {
                throw new ProviderException(
                        Kind.TIMEOUT, 0, upstream() + ": " + passed.getMessage(), relayed.any, passed);
            }
            if (e.getCause() instanceof UpstreamHttp.NotStarted notStarted) {
                throw new ProviderException(Kind.TIMEOUT, 0, notStarted.getMessage(), false, notStarted);
            }
            if (e.getCause() instanceof TimeoutException) {
                throw new ProviderException(
                        Kind.TIMEOUT,
                        0,
                        upstream() + " stream stalled for longer than " + http.timeoutDescription(),
                        relayed.any,
                        e);
            }
            throw new ProviderException(
                    Kind.UNREACHABLE, 0, upstream() + " stream failed: " + UpstreamHttp.describe(e), relayed.any, e);
        }
    }

    /**
     * Passes chunks on and remembers whether any reached the caller (then the stream can no longer fall back). The
     * first one claims the stream as started, unless the attempt's limit to start it fired first.
     */
    private static final class Relayed implements ChunkSink {
        private final ChunkSink sink;
        private final UpstreamHttp.Streamed response;
        private volatile boolean any;

        Relayed(ChunkSink sink, UpstreamHttp.Streamed response) {
            this.sink = sink;
            this.response = response;
        }

        @Override
        public void accept(ChatChunk chunk) {
            if (!any && !response.started()) {
                // the limit fired as this chunk arrived: nothing went out, so the call may still fall back
                throw new ProviderException(Kind.TIMEOUT, 0, response.notStarted(), false, null);
            }
            any = true;
            sink.accept(chunk);
        }

        @Override
        public void opened(String decisionId) {
            sink.opened(decisionId);
        }
    }

    private StreamSummary relay(InputStream in, String upstreamModel, boolean forwardUsage, ChunkSink sink)
            throws IOException {
        var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        StringBuilder text = new StringBuilder();
        String finishReason = null;
        Usage usage = Usage.NONE;
        String model = upstreamModel;
        boolean any = false;
        String line;
        while ((line = reader.readLine()) != null) {
            if (!line.startsWith("data:")) {
                continue; // comments, event names, blank separators
            }
            String data = line.substring(5).strip();
            if (data.equals("[DONE]")) {
                return new StreamSummary(text.toString(), finishReason, usage, model);
            }
            JsonNode chunk = parseChunk(data, any);
            if (chunk.has("error")) {
                throw new ProviderException(
                        Kind.STATUS,
                        502,
                        upstream() + " ended the stream with an error: " + errorMessage(chunk, data),
                        any,
                        null);
            }
            model = storable(chunk.path("model").asText(model));
            JsonNode choices = chunk.path("choices");
            String delta = choices.path(0).path("delta").path("content").asText("");
            text.append(delta);
            if (choices.path(0).hasNonNull("finish_reason")) {
                finishReason = choices.path(0).path("finish_reason").asText();
            }
            boolean usageOnly = chunk.hasNonNull("usage") && (!choices.isArray() || choices.isEmpty());
            if (chunk.hasNonNull("usage")) {
                usage = usageOf(chunk.path("usage"));
            }
            if (usageOnly && !forwardUsage) {
                continue; // we asked for usage for our own records; the caller did not
            }
            sink.accept(new ChatChunk(data, delta, usageOnly ? usage : null, usageOnly));
            any = true;
        }
        throw new ProviderException(
                Kind.UNREACHABLE,
                0,
                upstream() + " closed the stream before it finished ([DONE] never came)",
                any,
                null);
    }

    @Override
    public EmbeddingResult embed(String upstreamModel, EmbeddingRequest request) {
        return embed(upstreamModel, request, null);
    }

    @Override
    public EmbeddingResult embed(String upstreamModel, EmbeddingRequest request, @Nullable Duration limit) {
        Map<String, Object> body = new LinkedHashMap<>(request.options());
        body.put("model", upstreamModel);
        body.put("input", request.inputs());
        body.put("encoding_format", "float");
        UpstreamHttp.Answer response = http.post("/embeddings", bytes(body), limit);
        requireSuccess(response.status(), response.body(), response.retryAfter());
        JsonNode json = parse(response.body());
        List<float[]> vectors = new ArrayList<>();
        for (JsonNode item : json.path("data")) {
            JsonNode values = item.path("embedding");
            if (!values.isArray()) {
                throw malformed("an embedding that is not an array of numbers", false);
            }
            float[] v = new float[values.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) values.get(i).asDouble();
            }
            vectors.add(v);
        }
        if (vectors.size() != request.inputs().size()) {
            throw malformed(
                    vectors.size() + " embeddings for " + request.inputs().size() + " inputs", false);
        }
        return new EmbeddingResult(
                vectors,
                usageOf(json.path("usage")),
                storable(json.path("model").asText(upstreamModel)));
    }

    /** The request as the upstream gets it: the caller's fields, our model name, text as the guards left it. */
    private static Map<String, Object> chatBody(String upstreamModel, ChatRequest request, boolean stream) {
        Map<String, Object> body = new LinkedHashMap<>(request.options());
        body.put("model", upstreamModel);
        List<Map<String, Object>> messages = new ArrayList<>(request.messages().size());
        for (ChatMessage m : request.messages()) {
            if (m.fields().get("content") instanceof String) {
                Map<String, Object> message = new LinkedHashMap<>(m.fields());
                message.put("content", m.text());
                messages.add(message);
            } else {
                messages.add(m.fields());
            }
        }
        body.put("messages", messages);
        body.remove("stream");
        body.remove("stream_options");
        if (stream) {
            body.put("stream", true);
            body.put("stream_options", Map.of("include_usage", true));
        }
        return body;
    }

    private byte[] bytes(Map<String, Object> body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new ProviderException(Kind.INTERNAL, "request to " + upstream() + " could not be written", e);
        }
    }

    private void requireSuccess(int status, byte[] raw, @Nullable String retryAfter) {
        if (status / 100 == 2) {
            return;
        }
        JsonNode json = parseOrNull(raw);
        String detail = json != null ? errorMessage(json, new String(raw, StandardCharsets.UTF_8)) : snippet(raw);
        throw new ProviderException(
                Kind.STATUS,
                status,
                upstream() + " answered " + status + ": " + detail,
                false,
                RetryAfter.parse(retryAfter, clock),
                null);
    }

    /** The upstream's usage, or, when it reported none, tokens counted here. */
    private Usage usageOr(JsonNode usage, ChatRequest request, String answer) {
        Usage reported = usageOf(usage);
        return reported.totalTokens() > 0 ? reported : tokens.count(request, answer);
    }

    private static String errorMessage(JsonNode json, String raw) {
        JsonNode message = json.path("error").path("message");
        if (message.isTextual()) {
            return storable(message.asText());
        }
        return json.path("error").isTextual()
                ? storable(json.path("error").asText())
                : snippet(raw.getBytes(StandardCharsets.UTF_8));
    }

    private JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw malformed("a body that is not JSON: " + snippet(body), false);
        }
    }

    private JsonNode parseChunk(String data, boolean afterFirst) {
        try {
            return JSON.readTree(data);
        } catch (IOException e) {
            throw malformed(
                    "a stream event that is not JSON: " + snippet(data.getBytes(StandardCharsets.UTF_8)), afterFirst);
        }
    }

    private static @Nullable JsonNode parseOrNull(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private ProviderException malformed(String what, boolean afterFirstChunk) {
        return new ProviderException(Kind.MALFORMED, 0, upstream() + " returned " + what, afterFirstChunk, null);
    }

    private static Usage usageOf(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return Usage.NONE;
        }
        return new Usage(
                Math.max(0, usage.path("prompt_tokens").asLong(0)),
                Math.max(0, usage.path("completion_tokens").asLong(0)),
                Math.max(
                        0,
                        usage.path("prompt_tokens_details")
                                .path("cached_tokens")
                                .asLong(0)));
    }

    private String upstream() {
        return http.who();
    }

    private static String snippet(byte[] body) {
        String s = storable(new String(body, StandardCharsets.UTF_8)).strip();
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    /**
     * Upstream text as the audit log can keep it: U+0000, which no store holds as text, becomes U+FFFD, so that an
     * upstream's odd answer never makes the caller's Decision unrecordable.
     */
    private static String storable(String text) {
        return text == null || text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', '\uFFFD');
    }
}
