package dev.airlock.server.config;

import static dev.airlock.server.config.Options.or;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.airlock.decision.RequestKind;
import dev.airlock.server.config.AirlockConfig.Trust;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A provider: an upstream API or an in-process model, by {@code kind}. Each kind takes its own options; what every
 * kind takes (trust, breaker, admission limits) is here.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ProviderConfig.OpenAiProvider.class, name = "openai"),
    @JsonSubTypes.Type(value = ProviderConfig.MiniLmProvider.class, name = "minilm-embeddings"),
    @JsonSubTypes.Type(value = ProviderConfig.OnnxTabularProvider.class, name = "onnx-tabular"),
    @JsonSubTypes.Type(value = ProviderConfig.AnthropicProvider.class, name = "anthropic"),
    @JsonSubTypes.Type(value = ProviderConfig.GeminiProvider.class, name = "gemini"),
    @JsonSubTypes.Type(value = ProviderConfig.BedrockProvider.class, name = "bedrock")
})
public sealed interface ProviderConfig {
    /**
     * The kind's name as written: {@code openai}, {@code anthropic}, {@code gemini}, {@code bedrock}, {@code
     * minilm-embeddings} or {@code onnx-tabular}.
     */
    String kind();

    /** The request kinds it serves. */
    Set<RequestKind> serves();

    Trust trust();

    String region();

    BreakerConfig breaker();

    int maxInFlight();

    int queue();

    Duration queueTimeout();

    /** Per upstream model name: US dollars per million tokens; in-process models have none (they are free). */
    default Map<String, PriceConfig> prices() {
        return Map.of();
    }

    /** Per upstream model name: deprecation and retirement dates. */
    default Map<String, LifecycleConfig> lifecycle() {
        return Map.of();
    }

    /** An OpenAI-compatible upstream at {@code baseUrl}, every other option at its default. */
    static OpenAiProvider openAi(String baseUrl) {
        return Options.bind(OpenAiProvider.class, Map.of("kind", "openai", "base_url", baseUrl));
    }

    private static void checkPrices(Map<String, PriceConfig> prices) {
        prices.forEach((model, price) -> {
            if (price == null || price.input() == null || price.output() == null) {
                throw new OptionException(
                        "expected {input: <USD per million>, output: <USD per million>}", "prices", model);
            }
            if (price.input().signum() < 0
                    || price.output().signum() < 0
                    || (price.cachedInput() != null && price.cachedInput().signum() < 0)) {
                throw new OptionException("prices must not be negative", "prices", model);
            }
        });
    }

    private static String checkHttpUrl(String url, String example) {
        if (url == null || url.isBlank()) {
            throw new OptionException("missing; expected e.g. " + example, "base_url");
        }
        if (!OpenAiProvider.isHttpUrl(url)) {
            throw new OptionException("'" + url + "' is not an http(s) URL; expected e.g. " + example, "base_url");
        }
        return url;
    }

    private static void checkAdmission(int maxInFlight, int queue) {
        if (maxInFlight < 1) {
            throw new OptionException(maxInFlight + " must be at least 1", "max_in_flight");
        }
        if (queue < 0) {
            throw new OptionException(queue + " must not be negative", "queue");
        }
    }

    /**
     * {@code kind: openai}: any OpenAI-compatible HTTP API.
     *
     * @param baseUrl the API root, e.g. {@code https://api.openai.com/v1}
     * @param apiKey sent as a bearer token when set
     * @param headers extra headers, e.g. Azure's {@code api-key}
     * @param query extra query parameters, e.g. Azure's {@code api-version}
     * @param timeout longest wait for an answer (a stream: for its start, and longest silence within it)
     * @param connectTimeout longest wait to connect
     * @param prices per upstream model name: US dollars per million tokens
     * @param lifecycle per upstream model name: deprecation and retirement dates
     * @param trust where data sent to it goes
     * @param region where it runs, e.g. eu-west; informational
     * @param breaker when its circuit breakers open
     * @param maxInFlight most calls in flight to it at once
     * @param queue most calls waiting for a slot beyond that; more are refused with 429 at once
     * @param queueTimeout longest wait for a slot
     */
    public record OpenAiProvider(
            @JsonProperty("base_url") String baseUrl,
            @JsonProperty("api_key") @Nullable String apiKey,
            Map<String, String> headers,
            Map<String, String> query,
            @Default("60s") Duration timeout,
            @JsonProperty("connect_timeout") @Default("5s") Duration connectTimeout,
            Map<String, PriceConfig> prices,
            Map<String, LifecycleConfig> lifecycle,
            @Default("external") Trust trust,
            String region,
            BreakerConfig breaker,
            @JsonProperty("max_in_flight") @Default("128") int maxInFlight,
            @Default("128") int queue,
            @JsonProperty("queue_timeout") @Default("250ms") Duration queueTimeout)
            implements ProviderConfig {
        public OpenAiProvider {
            if (baseUrl == null || baseUrl.isBlank()) {
                throw new OptionException("missing; expected e.g. https://api.openai.com/v1", "base_url");
            }
            if (!isHttpUrl(baseUrl)) {
                throw new OptionException(
                        "'" + baseUrl + "' is not an http(s) URL; expected e.g. https://api.openai.com/v1", "base_url");
            }
            headers = headers == null ? Map.of() : Map.copyOf(headers);
            query = query == null ? Map.of() : Map.copyOf(query);
            prices = prices == null ? Map.of() : Map.copyOf(prices);
            lifecycle = lifecycle == null ? Map.of() : Map.copyOf(lifecycle);
            breaker = or(breaker, BreakerConfig.DEFAULTS);
            ProviderConfig.checkPrices(prices);
            ProviderConfig.checkAdmission(maxInFlight, queue);
        }

        @Override
        public String kind() {
            return "openai";
        }

        @Override
        public Set<RequestKind> serves() {
            return EnumSet.of(RequestKind.CHAT, RequestKind.EMBEDDING);
        }

        /** Without the key and headers (which may hold keys): settings are printed and logged, credentials never. */
        @Override
        public String toString() {
            return "OpenAiProvider[base_url=" + baseUrl + ", api_key=" + (apiKey == null ? "none" : "***") + "]";
        }

        /** The same upstream options against another API root, without credentials, headers or query. */
        public OpenAiProvider withBaseUrl(String url) {
            return new OpenAiProvider(
                    url,
                    null,
                    Map.of(),
                    Map.of(),
                    timeout,
                    connectTimeout,
                    prices,
                    lifecycle,
                    trust,
                    region,
                    breaker,
                    maxInFlight,
                    queue,
                    queueTimeout);
        }

        static boolean isHttpUrl(String text) {
            try {
                URI uri = URI.create(text);
                return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }

    /**
     * {@code kind: anthropic}: Anthropic's Messages API, spoken natively; callers still use OpenAI's shape.
     *
     * @param baseUrl the API root (requests go to {@code <base_url>/v1/messages})
     * @param apiKey sent as {@code x-api-key}; write it as {@code ${ANTHROPIC_API_KEY}}
     * @param anthropicVersion sent as {@code anthropic-version}
     * @param maxTokens {@code max_tokens} when the caller sets none (the API requires one)
     * @param headers extra headers, e.g. {@code anthropic-beta}
     * @param timeout longest wait for an answer (a stream: for its start, and longest silence within it)
     * @param connectTimeout longest wait to connect
     * @param prices per upstream model name: US dollars per million tokens
     * @param lifecycle per upstream model name: deprecation and retirement dates
     * @param trust where data sent to it goes
     * @param region where it runs, e.g. eu-west; informational
     * @param breaker when its circuit breakers open
     * @param maxInFlight most calls in flight to it at once
     * @param queue most calls waiting for a slot beyond that; more are refused with 429 at once
     * @param queueTimeout longest wait for a slot
     */
    public record AnthropicProvider(
            @JsonProperty("base_url") @Default("https://api.anthropic.com")
            String baseUrl,

            @JsonProperty("api_key") @Nullable String apiKey,

            @JsonProperty("anthropic_version") @Default("2023-06-01")
            String anthropicVersion,

            @JsonProperty("max_tokens") @Default("4096") long maxTokens,
            Map<String, String> headers,
            @Default("60s") Duration timeout,
            @JsonProperty("connect_timeout") @Default("5s") Duration connectTimeout,
            Map<String, PriceConfig> prices,
            Map<String, LifecycleConfig> lifecycle,
            @Default("external") Trust trust,
            String region,
            BreakerConfig breaker,
            @JsonProperty("max_in_flight") @Default("128") int maxInFlight,
            @Default("128") int queue,
            @JsonProperty("queue_timeout") @Default("250ms") Duration queueTimeout)
            implements ProviderConfig {
        public AnthropicProvider {
            checkHttpUrl(baseUrl, "https://api.anthropic.com");
            if (maxTokens < 1) {
                throw new OptionException(maxTokens + " must be at least 1", "max_tokens");
            }
            headers = headers == null ? Map.of() : Map.copyOf(headers);
            prices = prices == null ? Map.of() : Map.copyOf(prices);
            lifecycle = lifecycle == null ? Map.of() : Map.copyOf(lifecycle);
            breaker = or(breaker, BreakerConfig.DEFAULTS);
            ProviderConfig.checkPrices(prices);
            ProviderConfig.checkAdmission(maxInFlight, queue);
        }

        @Override
        public String kind() {
            return "anthropic";
        }

        @Override
        public Set<RequestKind> serves() {
            return EnumSet.of(RequestKind.CHAT);
        }

        /** Without the key: settings are printed and logged, credentials never. */
        @Override
        public String toString() {
            return "AnthropicProvider[base_url=" + baseUrl + ", api_key=" + (apiKey == null ? "none" : "***") + "]";
        }
    }

    /**
     * {@code kind: gemini}: Google's Gemini API ({@code generateContent}), spoken natively; callers still use OpenAI's
     * shape.
     *
     * @param baseUrl the API root (requests go to {@code <base_url>/models/<model>:generateContent})
     * @param apiKey sent as {@code x-goog-api-key}; write it as {@code ${GEMINI_API_KEY}}
     * @param headers extra headers
     * @param timeout longest wait for an answer (a stream: for its start, and longest silence within it)
     * @param connectTimeout longest wait to connect
     * @param prices per upstream model name: US dollars per million tokens
     * @param lifecycle per upstream model name: deprecation and retirement dates
     * @param trust where data sent to it goes
     * @param region where it runs, e.g. eu-west; informational
     * @param breaker when its circuit breakers open
     * @param maxInFlight most calls in flight to it at once
     * @param queue most calls waiting for a slot beyond that; more are refused with 429 at once
     * @param queueTimeout longest wait for a slot
     */
    public record GeminiProvider(
            @JsonProperty("base_url") @Default("https://generativelanguage.googleapis.com/v1beta")
            String baseUrl,

            @JsonProperty("api_key") @Nullable String apiKey,
            Map<String, String> headers,
            @Default("60s") Duration timeout,
            @JsonProperty("connect_timeout") @Default("5s") Duration connectTimeout,
            Map<String, PriceConfig> prices,
            Map<String, LifecycleConfig> lifecycle,
            @Default("external") Trust trust,
            String region,
            BreakerConfig breaker,
            @JsonProperty("max_in_flight") @Default("128") int maxInFlight,
            @Default("128") int queue,
            @JsonProperty("queue_timeout") @Default("250ms") Duration queueTimeout)
            implements ProviderConfig {
        public GeminiProvider {
            checkHttpUrl(baseUrl, "https://generativelanguage.googleapis.com/v1beta");
            headers = headers == null ? Map.of() : Map.copyOf(headers);
            prices = prices == null ? Map.of() : Map.copyOf(prices);
            lifecycle = lifecycle == null ? Map.of() : Map.copyOf(lifecycle);
            breaker = or(breaker, BreakerConfig.DEFAULTS);
            ProviderConfig.checkPrices(prices);
            ProviderConfig.checkAdmission(maxInFlight, queue);
        }

        @Override
        public String kind() {
            return "gemini";
        }

        @Override
        public Set<RequestKind> serves() {
            return EnumSet.of(RequestKind.CHAT);
        }

        /** Without the key: settings are printed and logged, credentials never. */
        @Override
        public String toString() {
            return "GeminiProvider[base_url=" + baseUrl + ", api_key=" + (apiKey == null ? "none" : "***") + "]";
        }
    }

    /**
     * {@code kind: bedrock}: AWS Bedrock's Converse API, every request signed with SigV4; callers still use OpenAI's
     * shape. Credentials left out here are read from {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and
     * {@code AWS_SESSION_TOKEN} when the node starts.
     *
     * @param region the AWS region requests are signed for and sent to, e.g. {@code us-east-1}
     * @param baseUrl the runtime endpoint; by default {@code https://bedrock-runtime.<region>.amazonaws.com}
     * @param accessKeyId the access key id; write it as {@code ${AWS_ACCESS_KEY_ID}} or leave it out
     * @param secretAccessKey the secret access key; write it as {@code ${AWS_SECRET_ACCESS_KEY}} or leave it out
     * @param sessionToken for temporary credentials
     * @param timeout longest wait for an answer (a stream: for its start, and longest silence within it)
     * @param connectTimeout longest wait to connect
     * @param prices per upstream model (Bedrock model id): US dollars per million tokens
     * @param lifecycle per upstream model: deprecation and retirement dates
     * @param trust where data sent to it goes
     * @param breaker when its circuit breakers open
     * @param maxInFlight most calls in flight to it at once
     * @param queue most calls waiting for a slot beyond that; more are refused with 429 at once
     * @param queueTimeout longest wait for a slot
     */
    public record BedrockProvider(
            String region,
            @JsonProperty("base_url") @Nullable String baseUrl,
            @JsonProperty("access_key_id") @Nullable String accessKeyId,
            @JsonProperty("secret_access_key") @Nullable String secretAccessKey,
            @JsonProperty("session_token") @Nullable String sessionToken,
            @Default("60s") Duration timeout,
            @JsonProperty("connect_timeout") @Default("5s") Duration connectTimeout,
            Map<String, PriceConfig> prices,
            Map<String, LifecycleConfig> lifecycle,
            @Default("external") Trust trust,
            BreakerConfig breaker,
            @JsonProperty("max_in_flight") @Default("128") int maxInFlight,
            @Default("128") int queue,
            @JsonProperty("queue_timeout") @Default("250ms") Duration queueTimeout)
            implements ProviderConfig {
        public BedrockProvider {
            if (region == null || !region.matches("[a-z]{2}(-[a-z]+)+-\\d+")) {
                throw new OptionException(
                        (region == null ? "missing" : "'" + region + "' is not an AWS region")
                                + "; expected e.g. us-east-1",
                        "region");
            }
            if (baseUrl != null) {
                checkHttpUrl(baseUrl, "https://bedrock-runtime." + region + ".amazonaws.com");
            }
            if ((accessKeyId == null) != (secretAccessKey == null)) {
                throw new OptionException(
                        "access_key_id and secret_access_key go together; set both or neither (then AWS_ACCESS_KEY_ID"
                                + " and AWS_SECRET_ACCESS_KEY are read)",
                        accessKeyId == null ? "access_key_id" : "secret_access_key");
            }
            prices = prices == null ? Map.of() : Map.copyOf(prices);
            lifecycle = lifecycle == null ? Map.of() : Map.copyOf(lifecycle);
            breaker = or(breaker, BreakerConfig.DEFAULTS);
            ProviderConfig.checkPrices(prices);
            ProviderConfig.checkAdmission(maxInFlight, queue);
        }

        @Override
        public String kind() {
            return "bedrock";
        }

        @Override
        public Set<RequestKind> serves() {
            return EnumSet.of(RequestKind.CHAT);
        }

        /** The endpoint requests go to. */
        public String endpoint() {
            return baseUrl != null ? baseUrl : "https://bedrock-runtime." + region + ".amazonaws.com";
        }

        /** Without the credentials: settings are printed and logged, credentials never. */
        @Override
        public String toString() {
            return "BedrockProvider[region=" + region + ", base_url=" + endpoint() + ", access_key_id="
                    + (accessKeyId == null ? "from the environment" : accessKeyId) + "]";
        }
    }

    /** {@code kind: minilm-embeddings}: the in-process embedding model. */
    public record MiniLmProvider(
            @Default("on-premises") Trust trust,
            String region,
            BreakerConfig breaker,
            @JsonProperty("max_in_flight") @Default("128") int maxInFlight,
            @Default("128") int queue,
            @JsonProperty("queue_timeout") @Default("250ms") Duration queueTimeout)
            implements ProviderConfig {
        public MiniLmProvider {
            breaker = or(breaker, BreakerConfig.DEFAULTS);
            ProviderConfig.checkAdmission(maxInFlight, queue);
        }

        @Override
        public String kind() {
            return "minilm-embeddings";
        }

        @Override
        public Set<RequestKind> serves() {
            return EnumSet.of(RequestKind.EMBEDDING);
        }
    }

    /**
     * {@code kind: onnx-tabular}: an in-process ONNX model.
     *
     * @param path the {@code .onnx} file, with its {@code .schema.json} beside it
     */
    public record OnnxTabularProvider(
            String path,
            @Default("on-premises") Trust trust,
            String region,
            BreakerConfig breaker,
            @JsonProperty("max_in_flight") @Default("128") int maxInFlight,
            @Default("128") int queue,
            @JsonProperty("queue_timeout") @Default("250ms") Duration queueTimeout)
            implements ProviderConfig {
        public OnnxTabularProvider {
            if (path == null || path.isBlank()) {
                throw new OptionException("missing; expected the .onnx file of the model", "path");
            }
            breaker = or(breaker, BreakerConfig.DEFAULTS);
            ProviderConfig.checkAdmission(maxInFlight, queue);
        }

        @Override
        public String kind() {
            return "onnx-tabular";
        }

        @Override
        public Set<RequestKind> serves() {
            return EnumSet.of(RequestKind.PREDICT);
        }
    }

    /** US dollars per million tokens; {@code cached_input} for prompt tokens served from the provider's cache. */
    public record PriceConfig(
            BigDecimal input,
            BigDecimal output,
            @JsonProperty("cached_input") BigDecimal cachedInput) {}

    /**
     * @param failureRate percent of failed calls in the window that opens the breaker
     * @param window how many recent calls count
     * @param minCalls fewest calls in the window before it may open
     * @param openFor how long it stays open before probing
     */
    public record BreakerConfig(
            @JsonProperty("failure_rate") @Default("50") int failureRate,
            @Default("20") int window,
            @JsonProperty("min_calls") @Default("10") int minCalls,
            @JsonProperty("open_for") @Default("30s") Duration openFor) {
        public static final BreakerConfig DEFAULTS = Options.defaults(BreakerConfig.class);

        public BreakerConfig {
            if (failureRate < 1 || failureRate > 100) {
                throw new OptionException(failureRate + " is not a percentage within 1..100", "failure_rate");
            }
            if (window < 1 || minCalls < 1) {
                throw new OptionException("window and min_calls must be at least 1");
            }
        }
    }

    /** Dates (YYYY-MM-DD) from which an upstream model is deprecated (warn) and retired (skipped). */
    public record LifecycleConfig(
            @JsonProperty("deprecated_on") LocalDate deprecatedOn,
            @JsonProperty("retires_on") LocalDate retiresOn) {}
}
