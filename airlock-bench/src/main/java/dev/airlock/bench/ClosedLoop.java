package dev.airlock.bench;

import dev.airlock.testkit.LocalProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.api.ContentResponse;
import org.eclipse.jetty.client.api.Request;
import org.eclipse.jetty.client.util.StringRequestContent;

/**
 * Closed-loop load on the chat path of an Airlock node, lean or full, against a canned upstream in this JVM: {@code c}
 * callers each send a request, wait for its answer and send the next, for a fixed time; the same is done straight to
 * the upstream, and "added" is the difference. The node is a separate process whose JVM options come from {@code
 * -Dairlock.jvm} (e.g. a JFR recording), so it can be profiled while it serves.
 *
 * <p>Arguments: {@code lean|full} (default lean), seconds per run (15), concurrencies (1,32), rounds (1).
 *
 * <ul>
 *   <li>lean: one chat model, no guards, retention of hashes only, the durable SQLite audit log.
 *   <li>full: PII redaction, injection flagged with the classifier, a CEL policy, a budget, a rate limit and redacted
 *       retention.
 * </ul>
 */
public final class ClosedLoop {
    private static final String KEY = "ak_bench_bench-secret-0123456789abcdef";
    private static final String BODY =
            "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"Summarise the debt position of the"
                    + " applicant, who wrote from jane.doe@example.com about her loan.\"}]}";

    private ClosedLoop() {}

    public static void main(String[] args) throws Exception {
        String pipeline = args.length > 0 ? args[0] : "lean";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int[] concurrencies = Arrays.stream((args.length > 2 ? args[2] : "1,32").split(","))
                .mapToInt(Integer::parseInt)
                .toArray();
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        Path dir = Files.createTempDirectory("airlock-closed-loop");
        try (CannedUpstream upstream = CannedUpstream.start()) {
            int port = LocalProcesses.freePort();
            Path config = dir.resolve("airlock.yaml");
            Files.writeString(config, config(pipeline, port, dir, upstream.baseUrl()));
            Process node = LocalProcesses.java(
                            System.getProperty("airlock.jvm", ""),
                            "dev.airlock.server.cli.AirlockCli",
                            "serve",
                            "--config",
                            config.toString())
                    .redirectOutput(dir.resolve("airlock.out").toFile())
                    .redirectErrorStream(true)
                    .start();
            try {
                String airlock = "http://127.0.0.1:" + port;
                LocalProcesses.awaitOk(airlock + "/readyz", Duration.ofSeconds(120));
                measure(upstream.baseUrl(), airlock, pipeline, seconds, concurrencies, rounds);
            } finally {
                node.destroy();
                node.waitFor();
                System.out.println("node output: " + dir.resolve("airlock.out"));
            }
        }
    }

    static String config(String pipeline, int port, Path dir, String upstream) {
        String common = """
                server: {host: 127.0.0.1, port: %d}
                store: {url: "jdbc:sqlite:%s"}
                keys:
                  - {id: bench, tenant: bench, role: app, secret: "bench-secret-0123456789abcdef"}
                """.formatted(port, dir.resolve("bench.db"));
        return switch (pipeline) {
            case "lean" -> common + """
                    providers:
                      upstream: {kind: openai, base_url: "%s"}
                    models:
                      assistant: {kind: chat, provider: upstream, upstream_model: bench-model}
                    """.formatted(upstream);
            case "full" -> common + """
                    providers:
                      upstream:
                        kind: openai
                        base_url: "%s"
                        prices: {bench-model: {input: 0.15, output: 0.6}}
                    policies:
                      house:
                        versions:
                          "1":
                            rules:
                              - {name: no-cards-out, when: "'card' in guard.pii && provider.trust == 'external'", effect: redact, reason: PII_TO_EXTERNAL}
                              - {name: suspicious, when: "guard.injection >= 0.99", effect: deny, reason: SUSPECTED_INJECTION}
                    models:
                      assistant:
                        kind: chat
                        provider: upstream
                        upstream_model: bench-model
                        guards: {pii: {action: redact}, injection: {action: flag, threshold: 0.5}}
                        policies: [house]
                        retention: {content: redacted, keep_for: 30d}
                    budgets:
                      - {name: bench-daily, tenant: bench, period: day, soft: 1000000, hard: 2000000}
                    rate_limits:
                      default: {requests_per_minute: 100000000}
                    """.formatted(upstream);
            default -> throw new IllegalArgumentException("pipeline '" + pipeline + "': expected lean or full");
        };
    }

    private static void measure(
            String upstream, String airlock, String pipeline, int seconds, int[] concurrencies, int rounds)
            throws Exception {
        HttpClient client = new HttpClient();
        client.setMaxConnectionsPerDestination(256);
        client.start();
        try {
            Target direct = new Target(upstream + "/chat/completions", "bench-model", null);
            Target viaAirlock = new Target(airlock + "/v1/chat/completions", "assistant", KEY);
            int warmup = Math.max(10, seconds);
            System.out.printf(
                    "%s pipeline, closed loop, %d s per run; warming up %d s each%n", pipeline, seconds, warmup);
            run(client, direct, 8, warmup);
            run(client, viaAirlock, 8, warmup);
            System.out.printf(
                    "%-5s %-4s %-8s %8s %6s %9s %8s %8s %8s %8s%n",
                    "round", "c", "path", "ok", "errors", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms");
            for (int round = 1; round <= rounds; round++) {
                for (int c : concurrencies) {
                    Result d = run(client, direct, c, seconds);
                    Result a = run(client, viaAirlock, c, seconds);
                    print(round, c, "direct", d);
                    print(round, c, "airlock", a);
                    System.out.printf(
                            "%-5d %-4d %-8s %8s %6s %9s %8.3f %8.3f %8.3f%n",
                            round,
                            c,
                            "added",
                            "",
                            "",
                            "",
                            a.percentile(50) - d.percentile(50),
                            a.percentile(90) - d.percentile(90),
                            a.percentile(99) - d.percentile(99));
                }
            }
        } finally {
            client.stop();
        }
    }

    private static void print(int round, int c, String path, Result r) {
        System.out.printf(
                "%-5d %-4d %-8s %8d %6d %9.0f %8.3f %8.3f %8.3f %8.3f%n",
                round,
                c,
                path,
                r.latenciesNanos.length,
                r.errors,
                r.latenciesNanos.length / r.seconds,
                r.percentile(50),
                r.percentile(90),
                r.percentile(99),
                r.percentile(100));
    }

    /** Where to send and what: a URL, the model to name, the key to present (or none). */
    record Target(String url, String model, String key) {
        Request request(HttpClient client) {
            Request request = client.POST(url)
                    .timeout(10, TimeUnit.SECONDS)
                    .body(new StringRequestContent("application/json", BODY.formatted(model)));
            if (key != null) {
                request.headers(h -> h.put("Authorization", "Bearer " + key));
            }
            return request;
        }
    }

    /** Latencies of one run in nanoseconds, sorted; failed requests; the run's length. */
    record Result(long[] latenciesNanos, long errors, double seconds) {
        double percentile(double p) {
            if (latenciesNanos.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(p / 100.0 * latenciesNanos.length) - 1;
            return latenciesNanos[Math.max(0, Math.min(index, latenciesNanos.length - 1))] / 1e6;
        }
    }

    /** {@code c} callers, each sending its next request when the previous one is answered, for {@code seconds}. */
    static Result run(HttpClient client, Target target, int c, int seconds) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        var errors = new AtomicLong();
        long[][] perCaller = new long[c][];
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < c; i++) {
            int slot = i;
            callers.add(Thread.ofPlatform().start(() -> perCaller[slot] = loop(client, target, end, errors)));
        }
        for (Thread caller : callers) {
            caller.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] all =
                Arrays.stream(perCaller).flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(all, errors.get(), elapsed);
    }

    private static long[] loop(HttpClient client, Target target, long end, AtomicLong errors) {
        long[] latencies = new long[1 << 16];
        int n = 0;
        while (System.nanoTime() < end) {
            long sent = System.nanoTime();
            try {
                ContentResponse response = target.request(client).send();
                long latency = System.nanoTime() - sent;
                if (response.getStatus() != 200) {
                    if (errors.incrementAndGet() <= 3) {
                        System.err.println("failed: " + response.getStatus() + " " + response.getContentAsString());
                    }
                    continue;
                }
                if (n == latencies.length) {
                    latencies = Arrays.copyOf(latencies, n * 2);
                }
                latencies[n++] = latency;
            } catch (Exception failed) {
                if (errors.incrementAndGet() <= 3) {
                    System.err.println("failed: " + failed);
                }
            }
        }
        return Arrays.copyOf(latencies, n);
    }
}
