package dev.airlock.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.decision.Decision;
import dev.airlock.decision.Outcome;
import dev.airlock.decision.Principal;
import dev.airlock.decision.RequestKind;
import dev.airlock.decision.Role;
import dev.airlock.decision.StageNote;
import dev.airlock.decision.Stop;
import dev.airlock.decision.Usage;
import dev.airlock.provider.ChatMessage;
import dev.airlock.provider.ChatProvider;
import dev.airlock.provider.ChatRequest;
import dev.airlock.provider.ChatResult;
import dev.airlock.provider.ChunkSink;
import dev.airlock.provider.ProviderException;
import dev.airlock.provider.StreamSummary;
import dev.airlock.registry.ModelCatalog;
import dev.airlock.registry.ModelSpec;
import dev.airlock.registry.ServedModel;
import dev.airlock.routing.RoutePolicy;
import dev.airlock.routing.Target;
import dev.airlock.time.FakeTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Retries, backoff, deadlines and per-attempt limits on fake time: every wait and every limit is asserted exactly, and
 * nothing waits for real.
 */
class InvokeTimingTest {
    private final FakeTime time = new FakeTime();
    private final List<Decision> recorded = new ArrayList<>();
    /** The limit each attempt was given, in order, across targets. */
    private final List<Duration> limits = new ArrayList<>();

    /** One target's behaviour per attempt: given the attempt's limit, answers, or moves time on and fails. */
    private ChatProvider provider(String name, Function<Duration, ChatResult> attempt) {
        return new ChatProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public ChatResult complete(String upstreamModel, ChatRequest request) {
                throw new AssertionError("every attempt is given its limit");
            }

            @Override
            public ChatResult complete(String upstreamModel, ChatRequest request, Duration timeout) {
                limits.add(timeout);
                return attempt.apply(timeout);
            }

            @Override
            public StreamSummary stream(String upstreamModel, ChatRequest request, ChunkSink sink) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private Decision call(RoutePolicy policy, double jitter, ChatProvider... providers) {
        var spec = new ModelSpec("m", RequestKind.CHAT, "1", providers[0].name(), "up", "team", "", null);
        List<Target> targets =
                Arrays.stream(providers).map(p -> Target.of(p.name(), p, "up")).toList();
        var catalog = ModelCatalog.builder()
                .add(new ServedModel(spec, targets, policy, null))
                .build();
        var pipeline = Pipeline.builder()
                .time(time.time())
                .backoffJitter(() -> jitter)
                .authenticate(key -> new Principal("acme", "k1", Role.APP))
                .resolve(Resolve.from(catalog))
                .record(decision -> recorded.add(decision))
                .build();
        var request = new ChatRequest("m", List.of(ChatMessage.of("user", "hello")), Map.of(), false, false);
        return pipeline.chat(Caller.of("key"), request).decision();
    }

    private static ChatResult answer() {
        return new ChatResult("{}", "hi", "stop", new Usage(2, 3), "up");
    }

    private static ProviderException unreachable() {
        return new ProviderException(ProviderException.Kind.UNREACHABLE, "connection refused", null);
    }

    /** Fails as a hung upstream does: the whole limit passes, then the attempt times out. */
    private Function<Duration, ChatResult> hangs() {
        return limit -> {
            time.advance(limit);
            throw new ProviderException(ProviderException.Kind.TIMEOUT, "no answer within " + limit, null);
        };
    }

    private static Stop stopOf(Decision d) {
        return switch (d.outcome()) {
            case Outcome.Failed failed -> failed.stop();
            case Outcome.Refused refused -> refused.stop();
            case Outcome.Answered answered -> throw new AssertionError("answered: " + d.notes());
        };
    }

    private static long failedAttempts(Decision d) {
        return d.notes().stream()
                .map(StageNote::verdict)
                .filter("failed"::equals)
                .count();
    }

    @Test
    void retryBackoff_doublesFromTheConfiguredFirstWait_atTheDrawnPointOfItsRange() {
        var policy = new RoutePolicy(5, Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(60));

        Decision d = call(policy, 0.5, provider("p", limit -> {
            throw unreachable();
        }));

        // full jitter at 0.5: half of 100, 200, 400, 800 ms
        assertThat(time.slept())
                .containsExactly(
                        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
        assertThat(failedAttempts(d)).isEqualTo(5);
        assertThat(stopOf(d).code()).isEqualTo("upstream_unreachable");
        assertThat(d.upstreamMicros()).isEqualTo(750_000);
    }

    @Test
    void retryBackoff_isCappedAtTheLongestBackoff() {
        var policy = new RoutePolicy(4, Duration.ofMillis(300), Duration.ofMillis(500), Duration.ofSeconds(60));

        call(policy, 0.999, provider("p", limit -> {
            throw unreachable();
        }));

        assertThat(time.slept())
                .containsExactly(Duration.ofMillis(299), Duration.ofMillis(499), Duration.ofMillis(499));
    }

    @Test
    void anUpstreamsRetryAfter_isWaitedExactly_thenTheCallIsRetried() {
        var calls = new int[1];
        var policy = new RoutePolicy(2, Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(60));

        Decision d = call(policy, 0.5, provider("p", limit -> {
            if (calls[0]++ == 0) {
                throw new ProviderException(
                        ProviderException.Kind.STATUS, 429, "slow down", false, Duration.ofMillis(1_500), null);
            }
            return answer();
        }));

        assertThat(d.answered()).isTrue();
        assertThat(time.slept()).containsExactly(Duration.ofMillis(1_500));
        assertThat(time.elapsed()).isEqualTo(Duration.ofMillis(1_500));
    }

    @Test
    void aRetryAfterLongerThanTheLongestBackoff_movesToTheNextTarget_withoutWaiting() {
        var policy = new RoutePolicy(3, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(60));

        Decision d = call(
                policy,
                0.5,
                provider("a", limit -> {
                    throw new ProviderException(
                            ProviderException.Kind.STATUS, 429, "come back later", false, Duration.ofSeconds(3), null);
                }),
                provider("b", limit -> answer()));

        assertThat(d.answered()).isTrue();
        assertThat(d.provider()).isEqualTo("b");
        assertThat(time.slept()).isEmpty();
    }

    @Test
    void aBackoffThatWouldReachTheDeadline_isNotWaited() {
        // attempts take 400 ms each: after the first a 199 ms backoff fits; after the second, at 999 ms, none does
        var policy = new RoutePolicy(3, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(1));

        Decision d = call(policy, 0.999_999, provider("p", limit -> {
            time.advance(Duration.ofMillis(400));
            throw unreachable();
        }));

        assertThat(time.slept()).containsExactly(Duration.ofMillis(199));
        assertThat(failedAttempts(d)).isEqualTo(2);
        assertThat(stopOf(d).code()).isEqualTo("upstream_unreachable");
    }

    @Test
    void theDeadline_endsAHungCallExactlyWhenItPasses() {
        var policy = new RoutePolicy(3, Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofMillis(1_500));

        Decision d = call(policy, 0.5, provider("p", hangs()));

        assertThat(limits).containsExactly(Duration.ofMillis(1_500));
        assertThat(stopOf(d).status()).isEqualTo(504);
        assertThat(stopOf(d).code()).isEqualTo("deadline_exceeded");
        assertThat(d.upstreamMicros()).isEqualTo(1_500_000);
        assertThat(time.slept()).isEmpty();
    }

    @Test
    void eachTargetGetsAnEqualShareOfWhatIsLeft_soAHungOneLeavesTheFallbackItsTurn() {
        var policy = new RoutePolicy(2, Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(3));

        Decision d = call(policy, 0.5, provider("a", hangs()), provider("b", hangs()), provider("c", limit -> {
            time.advance(Duration.ofMillis(250));
            return answer();
        }));

        // 3 s among three targets: 1 s; then 2 s among two: 1 s; then the last gets all that is left
        assertThat(limits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1));
        assertThat(d.answered()).isTrue();
        assertThat(d.provider()).isEqualTo("c");
        assertThat(d.notes().stream().map(StageNote::detail).filter(n -> n.startsWith("a/up attempt 1")))
                .singleElement()
                .asString()
                .contains("the per-attempt limit, an equal share of the deadline per target left to try");
        assertThat(time.slept())
                .as("a hung target is not retried while another remains")
                .isEmpty();
        assertThat(d.upstreamMicros()).isEqualTo(2_250_000);
    }

    @Test
    void aConfiguredAttemptTimeout_boundsEachAttempt_andNeverPassesWhatIsLeft() {
        var policy = new RoutePolicy(
                3, Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofMillis(1_000), Duration.ofMillis(400));

        Decision d = call(policy, 0.5, provider("p", hangs()));

        // 400, backoff 50, 400, backoff 100: the third attempt starts at 950 ms and gets the 50 ms left
        assertThat(limits).containsExactly(Duration.ofMillis(400), Duration.ofMillis(400), Duration.ofMillis(50));
        assertThat(time.slept()).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(stopOf(d).code()).isEqualTo("deadline_exceeded");
        assertThat(time.elapsed()).isEqualTo(Duration.ofMillis(1_000));
    }
}
