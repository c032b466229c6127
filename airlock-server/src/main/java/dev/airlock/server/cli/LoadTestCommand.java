package dev.airlock.server.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.airlock.audit.AuditTrail;
import dev.airlock.auth.ApiKeys;
import dev.airlock.decision.DecisionIds;
import dev.airlock.decision.Role;
import dev.airlock.evidence.LoadTestResult;
import dev.airlock.readiness.EvidenceDesk;
import dev.airlock.server.Airlock;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.config.ConfigException;
import dev.airlock.server.config.Durations;
import dev.airlock.server.config.ModelConfig;
import dev.airlock.server.config.ProviderConfig;
import dev.airlock.server.json.Json;
import dev.airlock.server.runtime.CommandStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.api.Result;
import org.eclipse.jetty.client.util.BufferingResponseListener;
import org.eclipse.jetty.client.util.StringRequestContent;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code airlock loadtest MODEL}: drives a model at a multiple of its expected load against a local upstream that
 * speaks OpenAI's protocol, with the model's routing, retries, breakers and admission limits as configured, and
 * records what happened as evidence in the configured store.
 */
@Command(
        name = "loadtest",
        mixinStandardHelpOptions = true,
        description = "Drives a model at N times its expected load (models.<name>.expected_load_rps) against a local"
                + " upstream on 127.0.0.1, prints admitted, shed and failed requests and latency percentiles, and"
                + " records the result in the store for the readiness gate.")
final class LoadTestCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "The model to drive.")
    String model;

    @Option(names = "--times", defaultValue = "10", description = "Multiple of the expected load. Default: 10.")
    double times;

    @Option(names = "--duration", defaultValue = "20s", description = "How long to send, e.g. 30s. Default: 20s.")
    String duration;

    @Option(
            names = "--warmup",
            defaultValue = "5s",
            description = "Load sent first at the expected rate and not counted (JIT, connections). Default: 5s.")
    String warmup;

    @Option(names = "--rps", description = "Expected load in requests/s, when the config does not give one.")
    @Nullable
    Double rps;

    @Option(
            names = "--upstream-latency",
            defaultValue = "50ms",
            description = "Latency of the local upstream per call. Default: 50ms.")
    String upstreamLatency;

    @Option(
            names = "--model-version",
            paramLabel = "VERSION",
            description = "The version to load-test (called as MODEL@VERSION). Default: the declared version.")
    @Nullable
    String pinned;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        AirlockConfig loaded = config.load();
        ModelConfig m = loaded.models().get(model);
        if (m == null) {
            throw new ConfigException("no model '" + model + "' in " + config.path() + "; declared: "
                    + loaded.models().keySet());
        }
        double expected = rps != null ? rps : m.expectedLoadRps() == null ? 0 : m.expectedLoadRps();
        if (expected <= 0) {
            throw new ConfigException("models." + model + ".expected_load_rps is not set; set it or pass --rps");
        }
        Duration length = Durations.parse(duration);
        Duration latency = Durations.parse(upstreamLatency);
        double rate = expected * times;
        PrintWriter err = spec.commandLine().getErr();
        Path scratch = Files.createTempDirectory("airlock-loadtest");
        var issued = ApiKeys.issue("loadtest", Role.APP, "loadtest", Instant.now(), null);
        try (RehearsalUpstream upstream = RehearsalUpstream.answering(latency)) {
            AirlockConfig underTest = againstLocalUpstream(loaded, upstream.baseUrl(), scratch);
            Run result;
            Instant started;
            String version;
            try (Airlock node = Airlock.start(underTest)) {
                try (CommandStore scratchStore = CommandStore.openForReading(underTest)) {
                    scratchStore.keyStore().insertKey(issued.record());
                }
                version = pinned != null
                        ? node.catalog()
                                .find(model, pinned)
                                .orElseThrow(() -> new ConfigException("model " + model + " has no version '"
                                        + pinned + "'; declared: "
                                        + node.catalog().versions(model).keySet()))
                                .spec()
                                .version()
                        : node.catalog().find(model).orElseThrow().spec().version();
                started = Instant.now();
                err.printf(
                        "loadtest %s: %.1f req/s (%.1fx the expected %.1f) for %ss against a local upstream (+%d ms)%n",
                        model, rate, times, expected, length.toSeconds(), latency.toMillis());
                Rehearsal.Request request = Rehearsal.request(model, pinned == null ? model : model + "@" + pinned, m);
                Duration warm = Durations.parse(warmup);
                if (!warm.isZero()) {
                    err.printf("  warming up at %.1f req/s for %ds (not counted)%n", expected, warm.toSeconds());
                    drive(node.baseUrl(), request, issued.key(), expected, warm, err);
                }
                result = drive(node.baseUrl(), request, issued.key(), rate, length, err);
            }
            LoadTestResult evidence = result.evidence(
                    DecisionIds.next(started.toEpochMilli()), model, version, started, length, times, rate, latency);
            try (CommandStore store = CommandStore.open(loaded)) {
                new EvidenceDesk(store.evidenceStore(), new AuditTrail(store.auditChain(), Clock.systemUTC()))
                        .recordLoadTest(evidence, AuditTrail.commandLineActor());
            }
            List<String> breaches = breaches(m, evidence, result.errorsByKind());
            print(evidence, result.errorsByKind(), breaches);
            return breaches.isEmpty() ? 0 : 1;
        } finally {
            Rehearsal.deleteQuietly(scratch);
        }
    }

    /** The same configuration, with every HTTP upstream replaced by the local one and a scratch store. */
    private static AirlockConfig againstLocalUpstream(AirlockConfig c, String upstreamUrl, Path scratch) {
        Map<String, ProviderConfig> providers = new LinkedHashMap<>();
        c.providers()
                .forEach((name, p) ->
                        providers.put(name, p.kind().equals("openai") ? Rehearsal.withBaseUrl(p, upstreamUrl) : p));
        Map<String, ModelConfig> models = new LinkedHashMap<>();
        c.models().forEach((name, m) -> models.put(name, Rehearsal.withoutCache(m)));
        return Rehearsal.of(c, providers, models, scratch);
    }

    /** Latencies and outcomes of one run; {@code errorsByKind} breaks the errors down (timeout, 5xx, 4xx, transport). */
    private record Run(
            long sent, List<Long> okNanos, List<Long> shedNanos, long errors, Map<String, Long> errorsByKind) {
        LoadTestResult evidence(
                String id,
                String model,
                String version,
                Instant started,
                Duration length,
                double times,
                double rate,
                Duration latency) {
            return new LoadTestResult(
                    id,
                    model,
                    version,
                    started,
                    length,
                    times,
                    rate,
                    sent,
                    okNanos.size(),
                    shedNanos.size(),
                    errors,
                    percentile(okNanos, 50),
                    percentile(okNanos, 99),
                    percentile(okNanos, 100),
                    percentile(shedNanos, 99),
                    latency);
        }
    }

    private static double percentile(List<Long> nanos, double p) {
        if (nanos.isEmpty()) {
            return 0;
        }
        List<Long> sorted = new ArrayList<>(nanos);
        sorted.sort(null);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1e6;
    }

    /** Sends at {@code rate} per second, open loop (never waits for answers), and waits for every answer. */
    private static Run drive(
            String baseUrl, Rehearsal.Request request, String key, double rate, Duration length, PrintWriter err)
            throws Exception {
        var client = new HttpClient();
        client.setMaxConnectionsPerDestination(4_096);
        client.start();
        var ok = new ConcurrentLinkedQueue<Long>();
        var shed = new ConcurrentLinkedQueue<Long>();
        var errors = new AtomicLong();
        var byKind = new ConcurrentHashMap<String, AtomicLong>();
        var pending = new AtomicLong();
        long total = (long) Math.ceil(rate * length.toNanos() / 1e9);
        long interval = (long) (1e9 / rate);
        long start = System.nanoTime();
        long nextReport = start + 1_000_000_000L;
        try {
            for (long i = 0; i < total; i++) {
                long due = start + i * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                long sentAt = System.nanoTime();
                pending.incrementAndGet();
                client.POST(baseUrl + request.path())
                        .headers(h -> h.put("Authorization", "Bearer " + key))
                        .body(new StringRequestContent("application/json", request.body()))
                        .timeout(120, TimeUnit.SECONDS)
                        .send(new BufferingResponseListener() {
                            @Override
                            public void onComplete(Result result) {
                                long took = System.nanoTime() - sentAt;
                                String kind = errorKind(result);
                                if (kind == null) {
                                    ok.add(took);
                                } else if (kind.equals(SHED)) {
                                    shed.add(took);
                                } else {
                                    errors.incrementAndGet();
                                    byKind.computeIfAbsent(kind, k -> new AtomicLong())
                                            .incrementAndGet();
                                }
                                pending.decrementAndGet();
                            }
                        });
                if (System.nanoTime() >= nextReport) {
                    progress(err, (System.nanoTime() - start) / 1_000_000_000L, length, i + 1, ok, shed, errors);
                    nextReport += 1_000_000_000L;
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(130);
            while (pending.get() > 0 && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
            progress(err, length.toSeconds(), length, total, ok, shed, errors);
            err.println();
            Map<String, Long> kinds = new TreeMap<>();
            byKind.forEach((k, v) -> kinds.put(k, v.get()));
            if (pending.get() > 0) {
                kinds.merge("timeout", pending.get(), Long::sum);
            }
            return new Run(total, new ArrayList<>(ok), new ArrayList<>(shed), errors.get() + pending.get(), kinds);
        } finally {
            client.stop();
        }
    }

    private static final String SHED = "shed";

    /** Null for an answer, {@link #SHED} for a 429, else the kind of error: timeout, 5xx, 4xx or transport. */
    private static @Nullable String errorKind(Result result) {
        if (result.isFailed()) {
            Throwable cause = result.getFailure();
            return cause instanceof TimeoutException ? "timeout" : "transport";
        }
        int status = result.getResponse().getStatus();
        if (status / 100 == 2) {
            return null;
        }
        return status == 429 ? SHED : status / 100 == 5 ? "5xx" : "4xx";
    }

    private static void progress(
            PrintWriter err,
            long second,
            Duration length,
            long sent,
            ConcurrentLinkedQueue<Long> ok,
            ConcurrentLinkedQueue<Long> shed,
            AtomicLong errors) {
        err.printf(
                Locale.ROOT,
                "\r  [%3ds/%ds] sent %d  ok %d  shed %d  errors %d   ",
                second,
                length.toSeconds(),
                sent,
                ok.size(),
                shed.size(),
                errors.get());
        err.flush();
    }

    /**
     * Which of the model's SLO thresholds the run broke, each with the figures that broke it; empty when it is within
     * them. A model without latency and error thresholds cannot pass: there is nothing to judge the run by.
     */
    static List<String> breaches(ModelConfig m, LoadTestResult r, Map<String, Long> errorsByKind) {
        var t = m.operations() == null ? null : m.operations().thresholds();
        if (t == null || t.latencyP99Ms() == null || t.errorRate() == null) {
            return List.of("no thresholds to judge by: set models." + r.model()
                    + ".operations.thresholds.latency_p99_ms and error_rate");
        }
        List<String> breaches = new ArrayList<>();
        if (r.ok() == 0) {
            breaches.add("no call was answered");
        } else if (r.p99Millis() > t.latencyP99Ms()) {
            breaches.add(String.format(
                    Locale.ROOT,
                    "latency_p99_ms: p99 %.1f ms > %.1f ms (p50 %.1f ms, max %.1f ms; the node or the machine is"
                            + " saturated at %.1f req/s)",
                    r.p99Millis(),
                    t.latencyP99Ms(),
                    r.p50Millis(),
                    r.maxMillis(),
                    r.targetRps()));
        }
        if (r.errorRate() > t.errorRate()) {
            breaches.add(String.format(
                    Locale.ROOT,
                    "error_rate: %.3f%% > %.3f%% (%d of %d sent: %s)",
                    100 * r.errorRate(),
                    100 * t.errorRate(),
                    r.errors(),
                    r.sent(),
                    errorsByKind));
        }
        return breaches;
    }

    private void print(LoadTestResult r, Map<String, Long> errorsByKind, List<String> breaches) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            var mapper = Json.mapper()
                    .registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
            ObjectNode node = mapper.valueToTree(r);
            node.set("errorsByKind", mapper.valueToTree(errorsByKind));
            node.put("withinThresholds", breaches.isEmpty());
            node.set("breaches", mapper.valueToTree(breaches));
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(node));
            return;
        }
        out.printf(
                Locale.ROOT,
                "model %s (version %s), %.1fx expected load = %.1f req/s for %ds%n",
                r.model(),
                r.modelVersion(),
                r.multiplier(),
                r.targetRps(),
                r.duration().toSeconds());
        out.printf(
                Locale.ROOT,
                "sent %d   admitted %d (%.1f%%)   shed 429 %d (%.1f%%)   errors %d (%.2f%%)%n",
                r.sent(),
                r.ok(),
                100.0 * r.ok() / Math.max(1, r.sent()),
                r.shed(),
                100.0 * r.shed() / Math.max(1, r.sent()),
                r.errors(),
                100.0 * r.errorRate());
        out.printf(
                Locale.ROOT,
                "errors by kind: timeout %d   5xx %d   4xx %d   transport %d%n",
                errorsByKind.getOrDefault("timeout", 0L),
                errorsByKind.getOrDefault("5xx", 0L),
                errorsByKind.getOrDefault("4xx", 0L),
                errorsByKind.getOrDefault("transport", 0L));
        out.printf(
                Locale.ROOT,
                "admitted latency ms: p50 %.1f  p99 %.1f  max %.1f   time to 429 p99 %.1f ms%n",
                r.p50Millis(),
                r.p99Millis(),
                r.maxMillis(),
                r.shedP99Millis());
        out.printf("recorded as load test %s%n", r.id());
        if (breaches.isEmpty()) {
            out.println("within the model's thresholds");
        } else {
            out.println("OUTSIDE the model's thresholds:");
            breaches.forEach(b -> out.println("  - " + b));
        }
    }
}
