package dev.airlock.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DecisionLog} must do: the store on SQLite and PostgreSQL and {@link InMemoryDecisionLog} all
 * pass it. A subclass hands out an empty log for each test.
 */
public abstract class DecisionLogContract {
    /** Has nanoseconds, to show Instants round-trip exactly. */
    private static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456789Z");

    /** An empty log that only the calling test uses. */
    protected abstract DecisionLog log();

    @Test
    void append_answered_roundTripsExactly() {
        Decision answered = decision("acme", T0, new Outcome.Answered());

        log().append(answered);

        assertThat(log().findDecision(answered.id())).contains(answered);
    }

    @Test
    void append_withTraceId_roundTripsExactly() {
        Decision traced = withTraceId(decision("acme", T0, new Outcome.Answered()), "4bf92f3577b34da6a3ce929d0e0e4736");

        log().append(traced);

        assertThat(log().findDecision(traced.id())).contains(traced);
        assertThat(log().findDecision(traced.id()).orElseThrow().traceId())
                .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void append_refused_roundTripsExactly() {
        var stop = new Stop("resolve", 404, "invalid_request_error", "model_not_found", "no model 'x'", "model");
        Decision refused = decision("acme", T0, new Outcome.Refused(stop));

        log().append(refused);

        assertThat(log().findDecision(refused.id())).contains(refused);
    }

    @Test
    void append_failed_roundTripsExactly() {
        var stop = new Stop("invoke", 502, "upstream_error", "upstream_failed", "connection reset", null);
        Decision failed = decision("acme", T0, new Outcome.Failed(stop));

        log().append(failed);

        assertThat(log().findDecision(failed.id())).contains(failed);
    }

    @Test
    void append_withoutPrincipalOrOptionalFields_roundTripsExactly() {
        var stop = new Stop("authenticate", 401, "invalid_request_error", "invalid_api_key", "bad key", null);
        Decision bare = new Decision(
                UUID.randomUUID().toString(),
                T0,
                null,
                RequestKind.EMBEDDING,
                null,
                null,
                null,
                null,
                false,
                new Outcome.Refused(stop),
                Usage.NONE,
                null,
                0,
                0,
                null,
                null,
                List.of(),
                List.of(new StageNote("authenticate", "stop", null)),
                null);

        log().append(bare);

        assertThat(log().findDecision(bare.id())).contains(bare);
    }

    @Test
    void append_takenId_failsNamingTheId_andKeepsTheFirst() {
        Decision first = decision("acme", T0, new Outcome.Answered());
        log().append(first);
        Decision again = decision("acme", T0.plusSeconds(1), new Outcome.Answered());
        Decision sameId = withId(again, first.id());

        assertThatThrownBy(() -> log().append(sameId))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(first.id());
        assertThat(log().findDecision(first.id())).contains(first);
    }

    @Test
    void findDecision_unknownId_isEmpty() {
        assertThat(log().findDecision(UUID.randomUUID().toString())).isEmpty();
    }

    @Test
    void recentDecisions_areTheTenantsOwn_newestFirst() {
        Decision acmeOld = decision("acme", T0, new Outcome.Answered());
        Decision acmeNew = decision("acme", T0.plusMillis(5), new Outcome.Answered());
        Decision acmeMid = decision("acme", T0.plusNanos(1_000), new Outcome.Answered());
        Decision globex = decision("globex", T0.plusSeconds(1), new Outcome.Answered());
        List.of(acmeOld, globex, acmeNew, acmeMid).forEach(log()::append);

        assertThat(log().recentDecisions("acme", 10)).containsExactly(acmeNew, acmeMid, acmeOld);
        assertThat(log().recentDecisions("globex", 10)).containsExactly(globex);
        assertThat(log().recentDecisions("initech", 10)).isEmpty();
    }

    @Test
    void recentDecisions_honoursTheLimit() {
        List<Decision> appended = IntStream.range(0, 5)
                .mapToObj(i -> decision("acme", T0.plusSeconds(i), new Outcome.Answered()))
                .toList();
        appended.forEach(log()::append);

        assertThat(log().recentDecisions("acme", 2)).containsExactly(appended.get(4), appended.get(3));
        assertThat(log().recentDecisions("acme", 0)).isEmpty();
        assertThatThrownBy(() -> log().recentDecisions("acme", -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void concurrentAppends_fromManyThreads_allLand_andAreReadableAtOnce() throws Exception {
        int threads = 8;
        int perThread = 200;
        var start = new CountDownLatch(1);
        List<Future<List<Decision>>> results = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < threads; t++) {
                results.add(executor.submit(() -> appendAndReadBack(start, perThread)));
            }
            start.countDown();
        }
        List<Decision> appended = new ArrayList<>();
        for (Future<List<Decision>> result : results) {
            appended.addAll(result.get());
        }

        assertThat(log().recentDecisions("acme", threads * perThread + 1))
                .hasSize(threads * perThread)
                .containsExactlyInAnyOrderElementsOf(appended);
    }

    private List<Decision> appendAndReadBack(CountDownLatch start, int count) throws InterruptedException {
        start.await();
        List<Decision> appended = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Decision decision = decision("acme", Instant.now(), new Outcome.Answered());
            log().append(decision);
            assertThat(log().findDecision(decision.id())).contains(decision);
            appended.add(decision);
        }
        return appended;
    }

    @Test
    void searchDecisions_filtersByTenantTimeModelAndOutcome_oldestFirst_acrossPages() {
        List<Decision> acme = new ArrayList<>();
        for (int i = 0; i < 620; i++) {
            Outcome outcome =
                    i % 10 == 0 ? new Outcome.Refused(Stop.invalid("resolve", "model", "no")) : new Outcome.Answered();
            Decision d = decision("acme", T0.plusSeconds(i), outcome);
            log().append(d);
            acme.add(d);
        }
        log().append(decision("globex", T0.plusSeconds(5), new Outcome.Answered()));

        List<String> all = new ArrayList<>();
        log().searchDecisions(DecisionQuery.ofTenant("acme"), d -> all.add(d.id()));
        assertThat(all)
                .containsExactlyElementsOf(acme.stream().map(Decision::id).toList());

        List<Decision> window = new ArrayList<>();
        log().searchDecisions(
                        new DecisionQuery(
                                "acme", T0.plusSeconds(100), T0.plusSeconds(200), "loan-risk", "refused", null),
                        window::add);
        assertThat(window).hasSize(10).allMatch(d -> d.outcome() instanceof Outcome.Refused);
        assertThat(window.getFirst().startedAt()).isEqualTo(T0.plusSeconds(100));

        List<Decision> firstThree = new ArrayList<>();
        log().searchDecisions(DecisionQuery.ofTenant("acme"), d -> firstThree.add(d) && firstThree.size() < 3);
        assertThat(firstThree).hasSize(3);
    }

    /** A Decision with every field set, so that a round trip shows each one survives. */
    public static Decision decision(String tenant, Instant startedAt, Outcome outcome) {
        return new Decision(
                UUID.randomUUID().toString(),
                startedAt,
                new Principal(tenant, "key-" + tenant, Role.APP),
                RequestKind.CHAT,
                "loan-risk",
                "loan-risk@3",
                "openai",
                "gpt-4o-mini-2024-07-18",
                true,
                outcome,
                new Usage(1234, 56, 1000),
                new BigDecimal("0.012345678"),
                98_765,
                54_321,
                "11".repeat(32),
                outcome instanceof Outcome.Answered ? "22".repeat(32) : null,
                List.of("income_to_debt", "quote \" and ünïcödé ✓"),
                List.of(
                        new StageNote("authenticate", "pass", "key-" + tenant),
                        new StageNote("guard_input", "redacted", "email x1")),
                null);
    }

    /** The same Decision under another id. */
    public static Decision withId(Decision d, String id) {
        return new Decision(
                id,
                d.startedAt(),
                d.principal(),
                d.kind(),
                d.model(),
                d.modelVersion(),
                d.provider(),
                d.upstreamModel(),
                d.stream(),
                d.outcome(),
                d.usage(),
                d.cost(),
                d.latencyMicros(),
                d.upstreamMicros(),
                d.inputSha256(),
                d.outputSha256(),
                d.reasons(),
                d.notes(),
                d.content(),
                d.traceId());
    }

    /** The same Decision, made in the trace {@code traceId}. */
    public static Decision withTraceId(Decision d, String traceId) {
        return new Decision(
                d.id(),
                d.startedAt(),
                d.principal(),
                d.kind(),
                d.model(),
                d.modelVersion(),
                d.provider(),
                d.upstreamModel(),
                d.stream(),
                d.outcome(),
                d.usage(),
                d.cost(),
                d.latencyMicros(),
                d.upstreamMicros(),
                d.inputSha256(),
                d.outputSha256(),
                d.reasons(),
                d.notes(),
                d.content(),
                traceId);
    }
}
