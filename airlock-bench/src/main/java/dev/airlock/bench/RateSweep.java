package dev.airlock.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.api.Request;
import org.eclipse.jetty.client.util.BufferingResponseListener;
import org.eclipse.jetty.client.util.StringRequestContent;

/**
 * The open-loop half of the peer benchmark ({@code scripts/bench/peers.sh}): sends chat completions to one target at
 * a fixed rate for each rate of a sweep, never waiting for answers, and times each request from its <em>scheduled</em>
 * start, so a stall counts for every request queued behind it (no coordinated omission, which a closed-loop generator
 * such as wrk hides). One line per rate, {@code SWEEP rate=… p50_ms=… p99_ms=…}, for the script to read.
 *
 * <p>Arguments: URL, model, rates (comma-separated, requests/s), seconds per rate, then any number of
 * {@code Name: value} headers. Each rate is preceded by a third of its duration of warm-up at the same rate.
 *
 * <pre>{@code
 * java -cp … dev.airlock.bench.RateSweep http://127.0.0.1:18940/v1/chat/completions assistant 200,500,1000 10 \
 *     "Authorization: Bearer ak_bench_bench-secret-0123456789abcdef"
 * }</pre>
 */
public final class RateSweep {
    private static final String BODY =
            "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"Summarise the applicant's debt position.\"}]}";

    private RateSweep() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: RateSweep URL MODEL RATES SECONDS [\"Name: value\"]...");
            System.exit(2);
        }
        String url = args[0];
        String body = BODY.formatted(args[1]);
        int[] rates =
                Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray();
        int seconds = Integer.parseInt(args[3]);
        Map<String, String> headers = headers(Arrays.asList(args).subList(4, args.length));
        HttpClient client = new HttpClient();
        client.setMaxConnectionsPerDestination(1_024);
        client.setMaxRequestsQueuedPerDestination(1_000_000);
        client.start();
        try {
            for (int rate : rates) {
                send(client, url, body, headers, rate, Math.max(1, seconds / 3));
                Run run = send(client, url, body, headers, rate, seconds);
                System.out.printf(
                        "SWEEP rate=%d sent=%d ok=%d errors=%d p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f%n",
                        rate,
                        run.sent(),
                        run.latenciesNanos().length,
                        run.errors(),
                        run.percentileMillis(50),
                        run.percentileMillis(90),
                        run.percentileMillis(99),
                        run.percentileMillis(100));
            }
        } finally {
            client.stop();
        }
    }

    private static Map<String, String> headers(List<String> given) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header : given) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("header '" + header + "': expected 'Name: value'");
            }
            headers.put(
                    header.substring(0, colon).trim(),
                    header.substring(colon + 1).trim());
        }
        return headers;
    }

    /** Latencies (nanoseconds, sorted) of the answered requests of one run, with how many were sent and failed. */
    record Run(int sent, long[] latenciesNanos, long errors) {
        double percentileMillis(double p) {
            if (latenciesNanos.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(p / 100.0 * latenciesNanos.length) - 1;
            return latenciesNanos[Math.max(0, Math.min(index, latenciesNanos.length - 1))] / 1e6;
        }
    }

    /** Sends {@code rate} requests a second for {@code seconds}, each at its scheduled time, and waits for all. */
    static Run send(HttpClient client, String url, String body, Map<String, String> headers, int rate, int seconds)
            throws InterruptedException {
        int total = rate * seconds;
        long intervalNanos = 1_000_000_000L / rate;
        long[] latencies = new long[total];
        var errors = new AtomicLong();
        var done = new CountDownLatch(total);
        long start = System.nanoTime() + 10_000_000L;
        for (int i = 0; i < total; i++) {
            long scheduled = start + i * intervalNanos;
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int slot = i;
            Request request = client.POST(url)
                    .timeout(30, TimeUnit.SECONDS)
                    .body(new StringRequestContent("application/json", body));
            request.headers(h -> headers.forEach(h::put));
            request.send(new BufferingResponseListener() {
                @Override
                public void onComplete(org.eclipse.jetty.client.api.Result result) {
                    long latency = System.nanoTime() - scheduled;
                    boolean failed = result.isFailed() || result.getResponse().getStatus() != 200;
                    latencies[slot] = failed ? -1 : latency;
                    if (failed && errors.incrementAndGet() <= 3) {
                        System.err.println("failed: "
                                + (result.isFailed()
                                        ? result.getFailure()
                                        : result.getResponse().getStatus() + " " + getContentAsString()));
                    }
                    done.countDown();
                }
            });
        }
        done.await(seconds + 60L, TimeUnit.SECONDS);
        List<Long> answered = new ArrayList<>();
        for (long latency : latencies) {
            if (latency > 0) {
                answered.add(latency);
            }
        }
        long[] sorted = answered.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Run(total, sorted, errors.get());
    }
}
