package dev.airlock.bench;

import dev.airlock.server.Airlock;
import dev.airlock.server.config.ConfigLoader;
import dev.airlock.testkit.FakeOpenAi;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures the latency Airlock adds to a chat completion: the same local OpenAI-compatible upstream is called
 * directly and through Airlock (full pipeline: key check, resolve, invoke, Decision recorded in the embedded
 * store, metrics), at a fixed request rate, open loop. Latency is measured from each request's scheduled start, so
 * queueing behind a slow request counts (no coordinated omission).
 *
 * <p>Run: {@code ./mvnw -q -pl airlock-bench -am package -DskipTests && java -cp ... dev.airlock.bench.AddedLatency
 * [rate] [seconds]}; see docs/benchmarks.md.
 */
public final class AddedLatency {
    private static final String BODY =
            "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"Summarise the applicant's debt position.\"}]}";

    private AddedLatency() {}

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path dir = Files.createTempDirectory("airlock-bench");
        try (FakeOpenAi upstream = FakeOpenAi.start();
                Airlock airlock =
                        Airlock.start(new ConfigLoader(name -> null).parse(dir.resolve("airlock.yaml"), """
                        server: {host: 127.0.0.1, port: 0}
                        store: {url: "jdbc:sqlite:%s"}
                        providers:
                          upstream: {kind: openai, base_url: "%s"}
                        models:
                          assistant: {kind: chat, provider: upstream, upstream_model: bench-model}
                        keys:
                          - {id: bench, tenant: bench, role: app, secret: "bench-secret-0123456789abcdef"}
                        """.formatted(
                                        dir.resolve("bench.db"), upstream.baseUrl())))) {
            HttpClient client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newVirtualThreadPerTaskExecutor())
                    .build();
            HttpRequest direct = request(upstream.baseUrl() + "/chat/completions", "bench-model", null);
            HttpRequest viaAirlock = request(
                    airlock.baseUrl() + "/v1/chat/completions", "assistant", "ak_bench_bench-secret-0123456789abcdef");
            System.out.printf("warming up (%d s each)%n", Math.max(5, seconds / 3));
            run(client, direct, rate, Math.max(5, seconds / 3));
            run(client, viaAirlock, rate, Math.max(5, seconds / 3));
            System.out.printf(
                    "%-8s %-7s %8s %8s %8s %8s %8s %8s%n",
                    "round", "path", "sent", "errors", "p50 ms", "p90 ms", "p99 ms", "max ms");
            for (int round = 1; round <= rounds; round++) {
                Result d = run(client, direct, rate, seconds);
                Result a = run(client, viaAirlock, rate, seconds);
                print(round, "direct", d);
                print(round, "airlock", a);
                System.out.printf(
                        "%-8d %-7s %8s %8s %8.3f %8.3f %8.3f %8s%n",
                        round,
                        "added",
                        "",
                        "",
                        a.percentile(50) - d.percentile(50),
                        a.percentile(90) - d.percentile(90),
                        a.percentile(99) - d.percentile(99),
                        "");
            }
        }
    }

    private static void print(int round, String path, Result r) {
        System.out.printf(
                "%-8d %-7s %8d %8d %8.3f %8.3f %8.3f %8.3f%n",
                round,
                path,
                r.latenciesNanos.length,
                r.errors,
                r.percentile(50),
                r.percentile(90),
                r.percentile(99),
                r.percentile(100));
    }

    private static HttpRequest request(String url, String model, String key) {
        var builder = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BODY.formatted(model)));
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        return builder.build();
    }

    /** Latencies of one run, in nanoseconds, and the number of failed requests. */
    record Result(long[] latenciesNanos, long errors) {
        double percentile(double p) {
            if (latenciesNanos.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(p / 100.0 * latenciesNanos.length) - 1;
            return latenciesNanos[Math.max(0, Math.min(index, latenciesNanos.length - 1))] / 1e6;
        }
    }

    /** Sends {@code rate} requests a second for {@code seconds}, each at its scheduled time, and waits for all. */
    static Result run(HttpClient client, HttpRequest request, int rate, int seconds) throws IOException {
        long total = (long) rate * seconds;
        long intervalNanos = 1_000_000_000L / rate;
        var latencies = new ConcurrentLinkedQueue<Long>();
        var errors = new AtomicLong();
        var inFlight = new CompletableFuture<?>[(int) total];
        long start = System.nanoTime() + 10_000_000L;
        for (int i = 0; i < total; i++) {
            long scheduled = start + i * intervalNanos;
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            inFlight[i] = client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                    .whenComplete((response, failure) -> {
                        long latency = System.nanoTime() - scheduled;
                        if (failure != null || response.statusCode() != 200) {
                            errors.incrementAndGet();
                        } else {
                            latencies.add(latency);
                        }
                    });
        }
        CompletableFuture.allOf(inFlight).exceptionally(e -> null).join();
        long[] sorted = latencies.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return new Result(sorted, errors.get());
    }
}
