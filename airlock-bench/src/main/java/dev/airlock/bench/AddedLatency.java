package dev.airlock.bench;

import com.sun.net.httpserver.HttpServer;
import dev.airlock.testkit.LocalProcesses;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.api.Request;
import org.eclipse.jetty.client.util.BufferingResponseListener;
import org.eclipse.jetty.client.util.StringRequestContent;

/**
 * Measures the latency Airlock adds to a chat completion. Three processes, as in production: a local
 * OpenAI-compatible upstream, an Airlock node ({@code airlock serve}, full pipeline: key check, resolve, invoke, the
 * Decision recorded in the embedded store, metrics) and this load generator. The same upstream is called directly
 * and through Airlock, alternately, at a fixed request rate, open loop: latency counts from each request's scheduled
 * start, so queueing behind a slow request is not hidden (no coordinated omission).
 *
 * <p>Arguments: rate (requests/s, default 1000), seconds per run (30), rounds (3). See docs/benchmarks.md.
 */
public final class AddedLatency {
    private static final String BODY =
            "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"Summarise the applicant's debt position.\"}]}";
    private static final String KEY = "ak_bench_bench-secret-0123456789abcdef";

    private AddedLatency() {}

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        // "traced": the node records every trace and exports it over OTLP/HTTP to a local sink that accepts and drops
        HttpServer sink = args.length > 3 && args[3].equals("traced") ? OtlpSink.start() : null;
        String tracing = sink == null
                ? ""
                : "tracing: {otlp_endpoint: \"http://127.0.0.1:"
                        + sink.getAddress().getPort() + "\", sample_ratio: 1.0}\n";
        Path dir = Files.createTempDirectory("airlock-bench");
        Process upstreamProcess = LocalProcesses.java("", "dev.airlock.testkit.FakeOpenAi")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Process airlockProcess = null;
        try {
            String upstream = new BufferedReader(new InputStreamReader(upstreamProcess.getInputStream())).readLine();
            int port = LocalProcesses.freePort();
            Path config = dir.resolve("airlock.yaml");
            Files.writeString(config, """
                    server: {host: 127.0.0.1, port: %d}
                    store: {url: "jdbc:sqlite:%s"}
                    providers:
                      upstream: {kind: openai, base_url: "%s"}
                    models:
                      assistant: {kind: chat, provider: upstream, upstream_model: bench-model}
                    keys:
                      - {id: bench, tenant: bench, role: app, secret: "bench-secret-0123456789abcdef"}
                    """.formatted(port, dir.resolve("bench.db"), upstream) + tracing);
            airlockProcess = LocalProcesses.java(
                            System.getProperty("airlock.jvm", ""),
                            "dev.airlock.server.cli.AirlockCli",
                            "serve",
                            "--config",
                            config.toString())
                    .redirectOutput(dir.resolve("airlock.out").toFile())
                    .redirectErrorStream(true)
                    .start();
            String airlock = "http://127.0.0.1:" + port;
            LocalProcesses.awaitOk(airlock + "/readyz", Duration.ofSeconds(60));
            measure(upstream, airlock, rate, seconds, rounds);
        } finally {
            if (sink != null) {
                System.out.printf("spans exported: %d requests to the sink%n", OtlpSink.received(sink));
                sink.stop(0);
            }
            upstreamProcess.destroy();
            if (airlockProcess != null) {
                airlockProcess.destroy();
                airlockProcess.waitFor();
            }
        }
    }

    private static void measure(String upstream, String airlock, int rate, int seconds, int rounds) throws Exception {
        HttpClient client = new HttpClient();
        client.setMaxConnectionsPerDestination(2_048);
        client.setMaxRequestsQueuedPerDestination(100_000);
        client.start();
        try {
            Target direct = new Target(upstream + "/chat/completions", "bench-model", null);
            Target viaAirlock = new Target(airlock + "/v1/chat/completions", "assistant", KEY);
            int warmup = Math.max(10, seconds);
            System.out.printf(
                    "rate %d/s, %d s per run, %d rounds; warming up %d s each%n", rate, seconds, rounds, warmup);
            run(client, direct, rate, warmup);
            run(client, viaAirlock, rate, warmup);
            System.out.printf(
                    "%-6s %-8s %8s %7s %8s %8s %8s %8s%n",
                    "round", "path", "ok", "errors", "p50 ms", "p90 ms", "p99 ms", "max ms");
            for (int round = 1; round <= rounds; round++) {
                Result d = run(client, direct, rate, seconds);
                Result a = run(client, viaAirlock, rate, seconds);
                print(round, "direct", d);
                print(round, "airlock", a);
                System.out.printf(
                        "%-6d %-8s %8s %7s %8.3f %8.3f %8.3f%n",
                        round,
                        "added",
                        "",
                        "",
                        a.percentile(50) - d.percentile(50),
                        a.percentile(90) - d.percentile(90),
                        a.percentile(99) - d.percentile(99));
            }
        } finally {
            client.stop();
        }
    }

    private static void print(int round, String path, Result r) {
        System.out.printf(
                "%-6d %-8s %8d %7d %8.3f %8.3f %8.3f %8.3f%n",
                round,
                path,
                r.latenciesNanos.length,
                r.errors,
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
    static Result run(HttpClient client, Target target, int rate, int seconds) throws InterruptedException {
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
            target.request(client).send(new BufferingResponseListener() {
                @Override
                public void onComplete(org.eclipse.jetty.client.api.Result result) {
                    long latency = System.nanoTime() - scheduled;
                    if (result.isFailed() || result.getResponse().getStatus() != 200) {
                        latencies[slot] = -1;
                        if (errors.incrementAndGet() <= 3) {
                            System.err.println("failed: "
                                    + (result.isFailed()
                                            ? result.getFailure()
                                            : result.getResponse().getStatus() + " " + getContentAsString()));
                        }
                    } else {
                        latencies[slot] = latency;
                    }
                    done.countDown();
                }
            });
        }
        done.await();
        long[] sorted = Arrays.stream(latencies).filter(l -> l >= 0).sorted().toArray();
        return new Result(sorted, errors.get());
    }
}
