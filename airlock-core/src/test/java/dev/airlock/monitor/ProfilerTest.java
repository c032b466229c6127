package dev.airlock.monitor;

import static dev.airlock.monitor.Calls.decision;
import static dev.airlock.monitor.Calls.prediction;
import static dev.airlock.monitor.Calls.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.decision.RequestKind;
import dev.airlock.time.FakeTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ProfilerTest {
    private static final Duration HOUR = Duration.ofHours(1);
    private static final ProfileSpec SPEC = new ProfileSpec(
            RequestKind.PREDICT,
            Map.of("income", ColumnKind.NUMERIC, "region", ColumnKind.CATEGORICAL),
            "default",
            "repay",
            ProfileSpec.DEFAULT_MISSING,
            HOUR);

    private final FakeTime time = new FakeTime();
    private final InMemoryProfileStore store = new InMemoryProfileStore();
    private final Profiler profiler = new Profiler(store, "node-a", (model, version, kind) -> SPEC);

    @Test
    void concurrentCallers_loseNoObservation_andAFlushWritesOneMergedPartial() throws Exception {
        int threads = 8;
        int perThread = 5_000;
        Instant at = time.clock().instant();
        var start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                String region = "r" + t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        profiler.observe(
                                decision("loans", "1", at),
                                request("loans", Map.of("income", i, "region", region)),
                                prediction(i % 4 == 0 ? "default" : "repay", 0.25));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        }
        profiler.flush();

        Profile p = store.merged("loans", "1", at, at.plus(HOUR)).orElseThrow();
        assertThat(p.count()).isEqualTo(threads * perThread);
        assertThat(p.inputs().get("income").count()).isEqualTo(threads * perThread);
        var regions = ((CategoricalColumn) p.inputs().get("region")).counts();
        assertThat(regions)
                .hasSize(threads)
                .allSatisfy((region, n) -> assertThat(n).isEqualTo(perThread));
        assertThat(((CategoricalColumn) p.outputs().get("predicted_class")).counts())
                .containsEntry("default", (long) threads * perThread / 4);
        assertThat(((NumericColumn) p.outputs().get("probability")).max()).isEqualTo(0.25);
        assertThat(profiler.unflushed("loans", "1", at, at.plus(HOUR))).isEmpty();
    }

    @Test
    void callsGoToTheWindowTheyStartedIn_andReadsSeeWhatIsNotFlushedYet() {
        Instant first = time.clock().instant();
        profiler.observe(decision("loans", "1", first), request("loans", Map.of("income", 1, "region", "n")), null);
        time.advance(HOUR);
        Instant second = time.clock().instant();
        profiler.observe(decision("loans", "1", second), request("loans", Map.of("income", 2, "region", "n")), null);
        profiler.observe(
                decision("loans", "1", first.plusSeconds(10)),
                request("loans", Map.of("income", 3, "region", "n")),
                null);

        assertThat(profiler.unflushed("loans", "1", first, second.plus(HOUR)))
                .extracting(Profile::from, Profile::count)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(first, 2L),
                        org.assertj.core.groups.Tuple.tuple(second, 1L));
        profiler.flush();
        assertThat(store.windows("loans", "1", first, second.plus(HOUR)))
                .extracting(Profile::count)
                .containsExactly(2L, 1L);
    }

    @Test
    void close_flushesWhatIsLeft_andFlushesAddUpInTheStore() {
        Instant at = time.clock().instant();
        profiler.observe(decision("loans", "1", at), request("loans", Map.of("income", 1, "region", "n")), null);
        profiler.flush();
        profiler.observe(decision("loans", "1", at), request("loans", Map.of("income", 2, "region", "n")), null);
        profiler.close();

        assertThat(store.merged("loans", "1", at, at.plus(HOUR)).orElseThrow().count())
                .isEqualTo(2);
    }

    @Test
    void decisionsWithoutAModelVersion_areNotProfiled() {
        Instant at = time.clock().instant();
        var unresolved = new dev.airlock.decision.Decision(
                "d",
                at,
                null,
                RequestKind.PREDICT,
                "loans",
                null,
                null,
                null,
                false,
                new dev.airlock.decision.Outcome.Answered(),
                null,
                null,
                0,
                0,
                null,
                null,
                List.of(),
                List.of(),
                null);
        profiler.observe(unresolved, request("loans", Map.of("income", 1)), null);
        profiler.close();

        assertThat(store.windows("loans", "1", at, at.plus(HOUR))).isEmpty();
    }
}
