package dev.airlock.server.upstream;

import dev.airlock.provider.ProviderException;
import dev.airlock.provider.ProviderException.Kind;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.api.ContentResponse;
import org.eclipse.jetty.client.api.Request;
import org.eclipse.jetty.client.api.Response;
import org.eclipse.jetty.client.util.BytesRequestContent;
import org.eclipse.jetty.client.util.FutureResponseListener;
import org.eclipse.jetty.client.util.InputStreamResponseListener;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP side of one upstream: a pooled client (Jetty's: HTTP/1.1 keep-alive, a bounded number of connections
 * per upstream, requests beyond it queue), the upstream's auth headers and query, and the translation of transport
 * failures into {@link ProviderException}s.
 */
final class UpstreamHttp implements AutoCloseable {
    private static final int MAX_CONNECTIONS = 512;
    private static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

    private final String name;
    private final String baseUrl;
    private final String apiKey;
    private final Map<String, String> headers;
    private final String query;
    private final Duration timeout;
    private final HttpClient client;

    /** An answer read whole; {@code retryAfter} is the Retry-After header, or null. */
    record Answer(int status, byte[] body, String retryAfter) {}

    /** An answer whose body is read as it arrives. */
    record Streamed(int status, InputStream body, String retryAfter) {}

    UpstreamHttp(
            String name,
            String baseUrl,
            String apiKey,
            Map<String, String> headers,
            Map<String, String> query,
            Duration timeout,
            Duration connectTimeout) {
        this.name = name;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
        this.headers = Map.copyOf(headers);
        this.query = query.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        this.timeout = timeout;
        this.client = start(name, connectTimeout);
    }

    private static HttpClient start(String name, Duration connectTimeout) {
        var threads = new QueuedThreadPool(64, 4);
        threads.setName("airlock-upstream-" + name);
        threads.setDaemon(true);
        var client = new HttpClient();
        client.setExecutor(threads);
        client.setConnectTimeout(connectTimeout.toMillis());
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

    /** The upstream's own timeout, or less when the caller's deadline is nearer. */
    Duration within(Duration callerLimit) {
        return callerLimit == null || callerLimit.compareTo(timeout) >= 0 ? timeout : callerLimit;
    }

    /** POSTs JSON and reads the whole answer, waiting at most {@code limit}. */
    Answer post(String path, byte[] json, Duration limit) {
        Request request = request(path, json).timeout(limit.toMillis(), TimeUnit.MILLISECONDS);
        var listener = new FutureResponseListener(request, MAX_RESPONSE_BYTES);
        request.send(listener);
        try {
            ContentResponse response = listener.get();
            return new Answer(
                    response.getStatus(),
                    response.getContent(),
                    response.getHeaders().get("Retry-After"));
        } catch (ExecutionException e) {
            throw failed(e.getCause(), limit);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    /**
     * POSTs JSON and returns once the answer's headers arrived (waiting at most {@code limit}); the body is then read
     * as it arrives, and a silence longer than the upstream's timeout ends it with an error.
     */
    Streamed stream(String path, byte[] json, Duration limit) {
        var listener = new InputStreamResponseListener();
        request(path, json)
                .idleTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .send(listener);
        try {
            Response response = listener.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return new Streamed(
                    response.getStatus(),
                    listener.getInputStream(),
                    response.getHeaders().get("Retry-After"));
        } catch (TimeoutException e) {
            throw failed(e, limit);
        } catch (ExecutionException e) {
            throw failed(e.getCause(), limit);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    private Request request(String path, byte[] json) {
        String url = baseUrl + path + (query.isEmpty() ? "" : "?" + query);
        Request request = client.POST(url).body(new BytesRequestContent("application/json", json));
        request.headers(h -> {
            if (apiKey != null) {
                h.put("Authorization", "Bearer " + apiKey);
            }
            headers.forEach(h::put);
        });
        return request;
    }

    private ProviderException failed(Throwable cause, Duration limit) {
        if (cause instanceof TimeoutException) {
            return new ProviderException(
                    Kind.TIMEOUT, who() + " did not answer within " + limit.toMillis() + " ms", cause);
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

    String who() {
        return "upstream '" + name + "'";
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
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
