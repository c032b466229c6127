package dev.airlock.server.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.decision.Usage;
import dev.airlock.provider.ChatChunk;
import dev.airlock.provider.ChatProvider;
import dev.airlock.provider.ChatRequest;
import dev.airlock.provider.ChatResult;
import dev.airlock.provider.ChunkSink;
import dev.airlock.provider.ProviderException;
import dev.airlock.provider.ProviderException.Kind;
import dev.airlock.provider.StreamSummary;
import dev.airlock.server.json.Json;
import dev.airlock.server.upstream.OpenAiShape.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A chat upstream that speaks its own protocol (Anthropic Messages, Google Gemini, AWS Bedrock Converse) behind
 * Airlock's OpenAI-shaped API: the caller's request is translated into the protocol, the answer, its stream and its
 * errors back into OpenAI's shape, so fallback from one kind to another never changes what the caller reads. Deadlines,
 * stalls and the start-of-stream race behave as for {@link OpenAiHttpProvider}; upstream error text reaches the caller
 * with the provider's credentials blanked out.
 *
 * <pre>{@code
 * ChatProvider claude = NativeChatProvider.anthropic(
 *         "claude", "https://api.anthropic.com", apiKey, "2023-06-01", 4096, Map.of(),
 *         Duration.ofSeconds(60), Duration.ofSeconds(5));
 * }</pre>
 */
public final class NativeChatProvider implements ChatProvider, AutoCloseable {
    private static final ObjectMapper JSON = Json.mapper();
    private static final String REDACTED = "[redacted]";

    private final String name;
    private final Dialect dialect;
    private final UpstreamHttp http;
    private final List<String> secrets;
    private final Clock clock;
    private final TokenCounter tokens = TokenCounter.shared();

    private NativeChatProvider(String name, Dialect dialect, UpstreamHttp http, List<String> secrets, Clock clock) {
        this.name = name;
        this.dialect = dialect;
        this.http = http;
        this.secrets =
                secrets.stream().filter(s -> s != null && s.length() >= 4).toList();
        this.clock = clock;
    }

    /**
     * Anthropic's Messages API ({@code POST /v1/messages}).
     *
     * @param baseUrl the API root, e.g. {@code https://api.anthropic.com}
     * @param apiKey sent as {@code x-api-key}
     * @param version sent as {@code anthropic-version}
     * @param maxTokens {@code max_tokens} when the caller sets none (the API requires one)
     */
    public static NativeChatProvider anthropic(
            String name,
            String baseUrl,
            @Nullable String apiKey,
            String version,
            long maxTokens,
            Map<String, String> headers,
            Duration timeout,
            Duration connectTimeout) {
        var all = new LinkedHashMap<String, String>(headers);
        if (apiKey != null && !apiKey.isBlank()) {
            all.put("x-api-key", apiKey);
        }
        all.put("anthropic-version", version);
        var http = new UpstreamHttp(name, baseUrl, null, all, Map.of(), timeout, connectTimeout);
        return new NativeChatProvider(
                name, new AnthropicDialect(maxTokens), http, secretsOf(apiKey), Clock.systemUTC());
    }

    /**
     * Google's Gemini API ({@code models/{model}:generateContent}, {@code :streamGenerateContent?alt=sse}).
     *
     * @param baseUrl the API root, e.g. {@code https://generativelanguage.googleapis.com/v1beta}
     * @param apiKey sent as {@code x-goog-api-key}
     */
    public static NativeChatProvider gemini(
            String name,
            String baseUrl,
            @Nullable String apiKey,
            Map<String, String> headers,
            Duration timeout,
            Duration connectTimeout) {
        var all = new LinkedHashMap<String, String>(headers);
        if (apiKey != null && !apiKey.isBlank()) {
            all.put("x-goog-api-key", apiKey);
        }
        var http = new UpstreamHttp(name, baseUrl, null, all, Map.of(), timeout, connectTimeout);
        return new NativeChatProvider(name, new GeminiDialect(), http, secretsOf(apiKey), Clock.systemUTC());
    }

    /**
     * AWS Bedrock's Converse API ({@code POST /model/{modelId}/converse}, {@code /converse-stream}), every request
     * signed with SigV4 by the AWS SDK's signer.
     *
     * @param baseUrl the runtime endpoint, e.g. {@code https://bedrock-runtime.us-east-1.amazonaws.com}
     * @param region the region requests are signed for
     * @param sessionToken for temporary credentials, or null
     */
    public static NativeChatProvider bedrock(
            String name,
            String baseUrl,
            String region,
            String accessKeyId,
            String secretAccessKey,
            @Nullable String sessionToken,
            Duration timeout,
            Duration connectTimeout) {
        var signer = new SigV4(region, "bedrock", accessKeyId, secretAccessKey, sessionToken, Clock.systemUTC());
        var http = new UpstreamHttp(name, baseUrl, null, Map.of(), Map.of(), timeout, connectTimeout, null, signer);
        return new NativeChatProvider(
                name,
                new BedrockDialect(),
                http,
                sessionToken == null ? List.of(secretAccessKey) : List.of(secretAccessKey, sessionToken),
                Clock.systemUTC());
    }

    private static List<String> secretsOf(@Nullable String key) {
        return key == null ? List.of() : List.of(key);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public ChatResult complete(String upstreamModel, ChatRequest request) {
        return complete(upstreamModel, request, null);
    }

    @Override
    public ChatResult complete(String upstreamModel, ChatRequest request, @Nullable Duration limit) {
        byte[] body = bytes(dialect.body(upstreamModel, Conversation.of(request), false));
        UpstreamHttp.Answer answer = http.post(dialect.path(upstreamModel, false), body, limit);
        requireSuccess(answer.status(), answer.body(), answer.retryAfter(), answer.errorType());
        JsonNode json = parse(answer.body());
        Reply reply;
        try {
            reply = dialect.reply(json, upstreamModel);
        } catch (IllegalArgumentException e) {
            throw malformed(String.valueOf(e.getMessage()));
        }
        Usage usage = reply.usage().totalTokens() > 0 ? reply.usage() : tokens.count(request, reply.text());
        String model = storable(reply.model());
        Reply shaped =
                new Reply(reply.id(), model, storable(reply.text()), reply.toolCalls(), reply.finishReason(), usage);
        return new ChatResult(
                OpenAiShape.completion(shaped, created()), shaped.text(), reply.finishReason(), usage, model);
    }

    @Override
    public StreamSummary stream(String upstreamModel, ChatRequest request, ChunkSink sink) {
        return stream(upstreamModel, request, sink, null, null);
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
        byte[] body = bytes(dialect.body(upstreamModel, Conversation.of(request), true));
        UpstreamHttp.Streamed response = http.stream(dialect.path(upstreamModel, true), body, startWithin, endWithin);
        var relayed = new Relayed(sink, response);
        var out = new ChunkWriter(
                http.who(), "chatcmpl-" + UUID.randomUUID(), upstreamModel, created(), request.includeUsage(), relayed);
        try (response) {
            InputStream in = response.body();
            if (response.status() / 100 != 2) {
                response.started(); // an error answer is read whole, however long its body takes
                requireSuccess(response.status(), in.readAllBytes(), response.retryAfter(), response.errorType());
            }
            dialect.relay(in, out);
            if (out.usage().totalTokens() == 0) {
                out.usage(tokens.count(request, out.text()));
            }
            return out.end();
        } catch (ProviderException e) {
            throw redacted(e);
        } catch (IOException e) {
            throw streamFailed(e, relayed.any);
        }
    }

    private ProviderException streamFailed(IOException e, boolean any) {
        if (e.getCause() instanceof UpstreamHttp.DeadlinePassed passed) {
            return new ProviderException(Kind.TIMEOUT, 0, http.who() + ": " + passed.getMessage(), any, passed);
        }
        if (e.getCause() instanceof UpstreamHttp.NotStarted notStarted) {
            return new ProviderException(Kind.TIMEOUT, 0, notStarted.getMessage(), false, notStarted);
        }
        if (e.getCause() instanceof TimeoutException) {
            return new ProviderException(
                    Kind.TIMEOUT,
                    0,
                    http.who() + " stream stalled for longer than " + http.timeoutDescription(),
                    any,
                    e);
        }
        return new ProviderException(
                Kind.UNREACHABLE, 0, http.who() + " stream failed: " + UpstreamHttp.describe(e), any, e);
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
                throw new ProviderException(Kind.TIMEOUT, 0, response.notStarted(), false, null);
            }
            any = true;
            sink.accept(chunk);
        }
    }

    private long created() {
        return clock.instant().getEpochSecond();
    }

    private byte[] bytes(JsonNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new ProviderException(Kind.INTERNAL, "request to " + http.who() + " could not be written", e);
        }
    }

    private void requireSuccess(int status, byte[] raw, @Nullable String retryAfter, @Nullable String errorType) {
        if (status / 100 == 2) {
            return;
        }
        String detail = redact(storable(dialect.describeError(status, raw, errorType)));
        throw new ProviderException(
                Kind.STATUS,
                status,
                http.who() + " answered " + status + ": " + detail,
                false,
                RetryAfter.parse(retryAfter, clock),
                null);
    }

    private JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw malformed("a body that is not JSON: " + snippet(body));
        }
    }

    private ProviderException malformed(String what) {
        return new ProviderException(Kind.MALFORMED, 0, http.who() + " returned " + redact(what), false, null);
    }

    private ProviderException redacted(ProviderException e) {
        String message = e.getMessage();
        if (message == null || redact(message).equals(message)) {
            return e;
        }
        return new ProviderException(
                e.kind(), e.upstreamStatus(), redact(message), e.afterFirstChunk(), e.retryAfter(), e.getCause());
    }

    /** Upstream text with the provider's own credentials blanked out: an upstream may echo what it was sent. */
    private String redact(String text) {
        String clean = text;
        for (String secret : secrets) {
            clean = clean.replace(secret, REDACTED);
        }
        return clean;
    }

    /** The first 200 characters of a body, for messages. */
    static String snippet(byte[] body) {
        String s = storable(new String(body, StandardCharsets.UTF_8)).strip();
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    /** Upstream text as the audit log can keep it: U+0000 becomes U+FFFD. */
    static String storable(String text) {
        return text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', '\uFFFD');
    }
}
