package dev.airlock.server.retrain;

import dev.airlock.monitor.retrain.Candidate;
import dev.airlock.monitor.retrain.Trigger;
import dev.airlock.time.Sleeper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Tells a training service to retrain: a POST of the run's facts as JSON ({@code object: retrain.request}), retried
 * with exponential backoff on a failure to connect or a 5xx/429 answer. A 2xx answer is success; its body may report
 * the candidate as {@code {"candidate_version": …, "artifact": …}}. The URL often holds a token, so failures name the
 * status, never the URL.
 */
final class WebhookTrigger implements Trigger {
    private final URI url;
    private final Duration timeout;
    private final int attempts;
    private final Duration backoff;
    private final Sleeper sleeper;
    private final HttpClient http;

    WebhookTrigger(String url, Duration timeout, int attempts, Duration backoff, Sleeper sleeper) {
        this.url = URI.create(url);
        this.timeout = timeout;
        this.attempts = attempts;
        this.backoff = backoff;
        this.sleeper = sleeper;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public Duration bound() {
        return timeout.multipliedBy(attempts).plus(backoff.multipliedBy(1L << Math.min(attempts, 20)));
    }

    @Override
    public String kind() {
        return "webhook";
    }

    @Override
    public Result run(Call call) {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "airlock-retraining")
                .POST(HttpRequest.BodyPublishers.ofString(
                        RetrainFields.json(call).toString()))
                .build();
        Result last = new Result.Failed(null, "", "the webhook was not called");
        for (int attempt = 0; attempt < attempts; attempt++) {
            if (attempt > 0 && !pause(attempt)) {
                return new Result.Failed(null, "", "interrupted between webhook attempts");
            }
            last = once(request);
            if (!(last instanceof Result.Failed f) || !retryable(f.status())) {
                return last;
            }
        }
        return last;
    }

    private Result once(HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new Result.Failed(
                    null,
                    "",
                    "the retraining webhook could not be reached ("
                            + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result.Failed(null, "", "interrupted while calling the retraining webhook");
        }
        int status = response.statusCode();
        String body = response.body() == null ? "" : response.body();
        String tail = body.length() <= CandidateLine.TAIL_CHARS ? body : body.substring(0, CandidateLine.TAIL_CHARS);
        if (status / 100 != 2) {
            return new Result.Failed(status, tail, "the retraining webhook answered HTTP " + status);
        }
        try {
            Candidate candidate = body.strip().startsWith("{") && body.contains("\"candidate_version\"")
                    ? CandidateLine.parse(body)
                    : null;
            return new Result.Succeeded(status, tail, candidate);
        } catch (IllegalArgumentException e) {
            return new Result.Failed(status, tail, String.valueOf(e.getMessage()));
        }
    }

    /** Worth another attempt: no answer, a server error or a request to slow down. */
    private static boolean retryable(@Nullable Integer status) {
        return status == null || status >= 500 || status == 429;
    }

    private boolean pause(int attempt) {
        try {
            sleeper.sleep(backoff.multipliedBy(1L << Math.min(attempt - 1, 20)));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
