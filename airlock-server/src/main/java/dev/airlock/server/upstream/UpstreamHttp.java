package dev.airlock.server.upstream;

import dev.airlock.provider.ProviderException;
import dev.airlock.provider.ProviderException.Kind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.api.ContentResponse;
import org.eclipse.jetty.client.api.Request;
import org.eclipse.jetty.client.api.Response;
import org.eclipse.jetty.client.util.BytesRequestContent;
import org.eclipse.jetty.client.util.FutureResponseListener;
import org.eclipse.jetty.client.util.InputStreamResponseListener;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP side of one upstream: a pooled client (Jetty's: HTTP/1.1 keep-alive, a bounded number of connections
 * per upstream, requests beyond it queue), the upstream's auth headers and query, and the translation of transport
 * failures into {@link ProviderException}s. Every request sets its own timeouts, so the client's defaults (Jetty's
 * idle timeout is 30 s) never decide how long a call may take; a timeout names the limit that fired.
 */
final class UpstreamHttp implements AutoCloseable {
    /** An object as Jetty prints it, {@code HttpConnectionOverHTTP@2ee4222a}. */
    private static final Pattern JETTY_DUMP = Pattern.compile("\\w@[0-9a-f]{4,}");

    private static final int MAX_CONNECTIONS = 512;
    private static final String ERROR_TYPE = "x-amzn-ErrorType";
    private static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

    private final String name;
    private final String baseUrl;
    private final @Nullable String apiKey;
    private final Map<String, String> headers;
    private final String query;
    private final Duration timeout;
    private final HttpClient client;
    private final Signer signer;

    /**
     * Adds the headers that authenticate one request and depend on it (AWS SigV4 signs the URL, the time and the
     * body); upstreams with a fixed key need none.
     */
    @FunctionalInterface
    interface Signer {
        Signer NONE = (url, body) -> Map.of();

        Map<String, String> headersFor(URI url, byte[] body);
    }

    /**
     * An answer read whole; {@code retryAfter} is the Retry-After header, or null; {@code errorType} is AWS's {@code
     * x-amzn-ErrorType} header, or null.
     */
    record Answer(
            int status,
            byte[] body,
            String retryAfter,
            @Nullable String errorType) {}

    /**
     * An answer whose body is read as it arrives; closing it ends the request and its timers. Its first chunk must be
     * passed on through {@link #started()} before the attempt's limit, or the request is aborted with {@link
     * NotStarted}.
     */
    record Streamed(
            int status,
            InputStream body,
            @Nullable String retryAfter,
            @Nullable String errorType,
            Scheduler.@Nullable Task deadline,
            Start start)
            implements AutoCloseable {
        /**
         * Claims the stream as started; false when the attempt's limit fired first (the request is being aborted and
         * the chunk in hand must not reach the caller).
         */
        boolean started() {
            return start.claim();
        }

        /** Why the stream was aborted before its first chunk, or null. */
        @Nullable
        String notStarted() {
            return start.missed();
        }

        @Override
        public void close() throws IOException {
            try {
                body.close();
            } finally {
                cancel(deadline);
                start.claim();
            }
        }
    }

    /**
     * The race between a stream's first chunk and the attempt's limit: whichever claims it first wins, so a chunk is
     * never passed on from a request that is being aborted, and a request is never aborted after a chunk went out.
     */
    static final class Start {
        private static final String STARTED = "";

        /** Null while undecided; then empty (the stream started) or why the limit fired. */
        private final AtomicReference<String> outcome = new AtomicReference<>();

        private volatile Scheduler.@Nullable Task timer;

        /** Claims the stream as started; false when the limit claimed it first. */
        boolean claim() {
            boolean won = outcome.compareAndSet(null, STARTED);
            if (won) {
                cancel(timer);
            }
            return won;
        }

        /** Claims the stream for the limit that fired, saying why; false when it had started. */
        boolean miss(String why) {
            return outcome.compareAndSet(null, why);
        }

        /** What the limit that fired said, or null. */
        @Nullable
        String missed() {
            String why = outcome.get();
            return why == null || why.isEmpty() ? null : why;
        }
    }

    /** Why a stream was aborted: it sent no chunk within the limit the attempt had to start it. */
    static final class NotStarted extends Exception {
        NotStarted(String message) {
            super(message);
        }
    }

    /** Why a stream was aborted: the caller's deadline passed while it was still running. */
    static final class DeadlinePassed extends Exception {
        DeadlinePassed(Duration limit) {
            super("the stream was still running when the call's limit of " + limit.toMillis() + " ms passed");
        }
    }

    UpstreamHttp(
            String name,
            String baseUrl,
            @Nullable String apiKey,
            Map<String, String> headers,
            Map<String, String> query,
            Duration timeout,
            Duration connectTimeout) {
        this(name, baseUrl, apiKey, headers, query, timeout, connectTimeout, null);
    }

    /** @param clientIdleTimeout the client's default idle timeout, or null for Jetty's (tests shorten it) */
    UpstreamHttp(
            String name,
            String baseUrl,
            @Nullable String apiKey,
            Map<String, String> headers,
            Map<String, String> query,
            Duration timeout,
            Duration connectTimeout,
            @Nullable Duration clientIdleTimeout) {
        this(name, baseUrl, apiKey, headers, query, timeout, connectTimeout, clientIdleTimeout, Signer.NONE);
    }

    /** @param signer adds the headers that authenticate each request */
    UpstreamHttp(
            String name,
            String baseUrl,
            @Nullable String apiKey,
            Map<String, String> headers,
            Map<String, String> query,
            Duration timeout,
            Duration connectTimeout,
            @Nullable Duration clientIdleTimeout,
            Signer signer) {
        this.name = name;
        this.signer = signer;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
        this.headers = Map.copyOf(headers);
        this.query = query.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        this.timeout = timeout;
        this.client = start(name, connectTimeout, clientIdleTimeout);
    }

    private static HttpClient start(String name, Duration connectTimeout, @Nullable Duration idleTimeout) {
        var threads = new QueuedThreadPool(64, 4);
        threads.setName("airlock-upstream-" + name);
        threads.setDaemon(true);
        var client = new HttpClient();
        client.setExecutor(threads);
        client.setConnectTimeout(connectTimeout.toMillis());
        if (idleTimeout != null) {
            client.setIdleTimeout(idleTimeout.toMillis());
        }
        client.setMaxConnectionsPerDestination(MAX_CONNECTIONS);
        client.setMaxRequestsQueuedPerDestination(4 * MAX_CONNECTIONS);
        client.setFollowRedirects(false);
        client.setUserAgentField(null);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("could not start the HTTP client for upstream '" + name + "'", e);
        }
        return client;
    }

    /** The limit a request waits under: the upstream's own timeout, or the caller's when that is nearer. */
    private record Limit(Duration value, boolean own) {
        long millis() {
            return Math.max(1, value.toMillis());
        }
    }

    private Limit within(@Nullable Duration callerLimit) {
        return callerLimit == null || callerLimit.compareTo(timeout) >= 0
                ? new Limit(timeout, true)
                : new Limit(callerLimit, false);
    }

    /**
     * POSTs JSON and reads the whole answer, waiting at most the upstream's timeout or {@code callerLimit}, whichever
     * is nearer (also as the idle timeout, which would otherwise be the client's default).
     */
    Answer post(String path, byte[] json, @Nullable Duration callerLimit) {
        Limit limit = within(callerLimit);
        Request request = request(path, json)
                .timeout(limit.millis(), TimeUnit.MILLISECONDS)
                .idleTimeout(limit.millis(), TimeUnit.MILLISECONDS);
        var listener = new FutureResponseListener(request, MAX_RESPONSE_BYTES);
        request.send(listener);
        try {
            ContentResponse response = listener.get();
            return new Answer(
                    response.getStatus(),
                    response.getContent(),
                    response.getHeaders().get("Retry-After"),
                    response.getHeaders().get(ERROR_TYPE));
        } catch (ExecutionException e) {
            throw failed(Objects.requireNonNullElse(e.getCause(), e), limit);
        } catch (InterruptedException e) {
            request.abort(e);
            throw interrupted(e);
        }
    }

    /**
     * POSTs JSON and returns once the answer's headers arrived, waiting at most the upstream's timeout or {@code
     * startWithin}, whichever is nearer. The body is then read as it arrives; a silence longer than the upstream's
     * timeout ends it with an error, and so does {@code endWithin} (from now) passing, however often the upstream
     * sends something.
     *
     * @param endWithin the longest the whole exchange may take, or null for no bound
     */
    Streamed stream(String path, byte[] json, @Nullable Duration startWithin, @Nullable Duration endWithin) {
        Limit start = within(startWithin);
        var listener = new InputStreamResponseListener();
        Request request = request(path, json).idleTimeout(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        Scheduler.@Nullable Task deadline = endWithin == null
                ? null
                : client.getScheduler()
                        .schedule(
                                () -> request.abort(new DeadlinePassed(endWithin)),
                                Math.max(1, endWithin.toMillis()),
                                TimeUnit.MILLISECONDS);
        // answering with headers is not starting: an upstream may accept a stream and then never generate
        var started = new Start();
        started.timer = client.getScheduler()
                .schedule(
                        () -> {
                            String why = who() + " sent no part of its stream within " + describe(start);
                            if (started.miss(why)) {
                                request.abort(new NotStarted(why));
                            }
                        },
                        start.millis(),
                        TimeUnit.MILLISECONDS);
        request.send(listener);
        try {
            Response response = listener.get(start.millis(), TimeUnit.MILLISECONDS);
            return new Streamed(
                    response.getStatus(),
                    listener.getInputStream(),
                    response.getHeaders().get("Retry-After"),
                    response.getHeaders().get(ERROR_TYPE),
                    deadline,
                    started);
        } catch (TimeoutException e) {
            cancel(deadline);
            started.claim();
            request.abort(e);
            throw failed(e, start);
        } catch (ExecutionException e) {
            cancel(deadline);
            started.claim();
            throw failed(Objects.requireNonNullElse(e.getCause(), e), start);
        } catch (InterruptedException e) {
            cancel(deadline);
            started.claim();
            request.abort(e);
            throw interrupted(e);
        }
    }

    private static void cancel(Scheduler.@Nullable Task task) {
        if (task != null) {
            task.cancel();
        }
    }

    private Request request(String path, byte[] json) {
        String url = baseUrl + path + (query.isEmpty() ? "" : (path.contains("?") ? "&" : "?") + query);
        Map<String, String> signed = signer.headersFor(URI.create(url), json);
        Request request = client.POST(url).body(new BytesRequestContent("application/json", json));
        request.headers(h -> {
            signed.forEach(h::put);
            if (apiKey != null) {
                h.put("Authorization", "Bearer " + apiKey);
            }
            headers.forEach(h::put);
            // the attempt's span is current here: the upstream's spans join the caller's trace (nothing when off)
            W3CTraceContextPropagator.getInstance().inject(Context.current(), h, HttpFields.Mutable::put);
        });
        return request;
    }

    private ProviderException failed(Throwable cause, Limit limit) {
        if (cause instanceof TimeoutException) {
            return new ProviderException(Kind.TIMEOUT, who() + " did not answer within " + describe(limit), cause);
        }
        if (cause instanceof DeadlinePassed) {
            return new ProviderException(Kind.TIMEOUT, who() + ": " + cause.getMessage(), cause);
        }
        if (cause instanceof NotStarted) {
            return new ProviderException(Kind.TIMEOUT, String.valueOf(cause.getMessage()), cause);
        }
        if (cause instanceof ConnectException) {
            return new ProviderException(Kind.UNREACHABLE, who() + " is unreachable: connection refused", cause);
        }
        return new ProviderException(Kind.UNREACHABLE, who() + " failed: " + describe(cause), cause);
    }

    private ProviderException interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        return new ProviderException(Kind.UNREACHABLE, "interrupted while calling " + who(), e);
    }

    /** The limit as a reader can find it in the configuration. */
    private String describe(Limit limit) {
        return limit.own()
                ? "its timeout of " + limit.millis() + " ms (providers." + name + ".timeout)"
                : "the " + limit.millis() + " ms the call allowed it";
    }

    /** The upstream's own timeout: the longest silence within a stream. */
    String timeoutDescription() {
        return describe(new Limit(timeout, true));
    }

    String who() {
        return "upstream '" + name + "'";
    }

    /**
     * A transport failure in words a caller can act on. Jetty describes a connection closed mid-answer by dumping its
     * connection objects (with local addresses); that never reaches a caller or a Decision.
     */
    static String describe(Throwable e) {
        if (e instanceof EOFException) {
            return "the upstream closed the connection before the answer was complete";
        }
        String message = e.getMessage();
        boolean readable = message != null
                && !message.isBlank()
                && !JETTY_DUMP.matcher(message).find();
        return e.getClass().getSimpleName() + (readable ? ": " + message : "");
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the HTTP client for " + who(), e);
        }
    }
}
