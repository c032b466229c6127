package dev.airlock.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.decision.Decision;
import dev.airlock.decision.DecisionLog;
import dev.airlock.decision.DecisionQuery;
import dev.airlock.decision.Outcome;
import dev.airlock.decision.Principal;
import dev.airlock.decision.RequestKind;
import dev.airlock.decision.Role;
import dev.airlock.decision.Stop;
import dev.airlock.decision.Usage;
import dev.airlock.provider.ChatMessage;
import dev.airlock.provider.ChatProvider;
import dev.airlock.provider.ChatRequest;
import dev.airlock.provider.ChatResult;
import dev.airlock.provider.ChunkSink;
import dev.airlock.provider.StreamSummary;
import dev.airlock.registry.ModelCatalog;
import dev.airlock.registry.ModelSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The pipeline's own rules, with small in-process stages: order, stops, and what is recorded when. */
class PipelineTest {
    private final List<Decision> recorded = new ArrayList<>();
    private final List<String> calls = new ArrayList<>();

    private ChatProvider provider(Function<ChatRequest, ChatResult> answer) {
        return new ChatProvider() {
            @Override
            public String name() {
                return "p";
            }

            @Override
            public ChatResult complete(String upstreamModel, ChatRequest request) {
                calls.add("invoke " + upstreamModel);
                return answer.apply(request);
            }

            @Override
            public StreamSummary stream(String upstreamModel, ChatRequest request, ChunkSink sink) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private Pipeline.Builder pipeline(ChatProvider provider) {
        var catalog = ModelCatalog.builder()
                .add(new ModelSpec("m", RequestKind.CHAT, "3", "p", "up-m", "team", "", null), provider)
                .build();
        return Pipeline.builder()
                .authenticate(key -> {
                    if (!"good".equals(key)) {
                        throw new Stop(Authenticate.STAGE, 401, "invalid_request_error", "invalid_api_key", "no", null)
                                .toException();
                    }
                    return new Principal("acme", "k1", Role.APP);
                })
                .resolve(Resolve.from(catalog))
                .record(new Recorder(
                        new DecisionLog() {
                            @Override
                            public void append(Decision decision) {
                                recorded.add(decision);
                            }

                            @Override
                            public Optional<Decision> findDecision(String id) {
                                return Optional.empty();
                            }

                            @Override
                            public List<Decision> recentDecisions(String tenant, int limit) {
                                return List.of();
                            }

                            @Override
                            public void searchDecisions(DecisionQuery query, Predicate<Decision> visitor) {
                                recorded.forEach(visitor::test);
                            }
                        },
                        new SimpleMeterRegistry()));
    }

    private static ChatRequest hello() {
        return new ChatRequest("m", List.of(ChatMessage.of("user", "hello")), Map.of(), false, false);
    }

    private static ChatResult answer(String text) {
        return new ChatResult("{}", text, "stop", new Usage(2, 3), "up-m-2026");
    }

    @Test
    void anAnsweredCall_isRecordedWithWhoWhatAndUsage() {
        var decided = pipeline(provider(r -> answer("hi"))).build().chat(Caller.of("good"), hello());

        assertThat(decided.answer().text()).isEqualTo("hi");
        Decision d = recorded.getFirst();
        assertThat(d).isEqualTo(decided.decision());
        assertThat(d.outcome()).isInstanceOf(Outcome.Answered.class);
        assertThat(d.principal()).isEqualTo(new Principal("acme", "k1", Role.APP));
        assertThat(d.modelVersion()).isEqualTo("3");
        assertThat(d.upstreamModel()).isEqualTo("up-m-2026");
        assertThat(d.usage()).isEqualTo(new Usage(2, 3));
        assertThat(calls).containsExactly("invoke up-m");
    }

    @Test
    void aGuardThatStopsTheCall_keepsItFromTheProvider_andTheRefusalIsRecorded() {
        var decided = pipeline(provider(r -> answer("hi")))
                .guardInput((draft, request) -> {
                    throw Stop.invalid(GuardInput.STAGE, "messages[0].content", "not allowed")
                            .toException();
                })
                .build()
                .chat(Caller.of("good"), hello());

        assertThat(calls).isEmpty();
        assertThat(decided.answer()).isNull();
        var refused = (Outcome.Refused) recorded.getFirst().outcome();
        assertThat(refused.stop().stage()).isEqualTo(GuardInput.STAGE);
    }

    @Test
    void aGuardMayRewriteTheInput_beforeItLeaves() {
        var decided = pipeline(provider(r -> answer(r.messages().getFirst().text())))
                .guardInput((draft, request) -> {
                    draft.note(GuardInput.STAGE, "redacted", "1 email");
                    return new ChatRequest("m", List.of(ChatMessage.of("user", "[EMAIL]")), Map.of(), false, false);
                })
                .build()
                .chat(Caller.of("good"), hello());

        assertThat(decided.answer().text()).isEqualTo("[EMAIL]");
        assertThat(recorded.getFirst().notes()).extracting(n -> n.verdict()).containsExactly("production", "redacted");
    }

    @Test
    void badCredentials_areRefusedWith401_andNotStored() {
        var decided = pipeline(provider(r -> answer("hi"))).build().chat(Caller.of("bad"), hello());

        assertThat(decided.decision().outcome().httpStatus()).isEqualTo(401);
        assertThat(recorded).isEmpty();
        assertThat(calls).isEmpty();
    }

    @Test
    void whenTheDecisionCannotBeRecorded_theAnswerIsWithheldWith503() {
        var decided = pipeline(provider(r -> answer("hi")))
                .record(decision -> {
                    throw new IllegalStateException("disk full");
                })
                .build()
                .chat(Caller.of("good"), hello());

        assertThat(decided.answer()).isNull();
        assertThat(decided.recorded()).isFalse();
        var failed = (Outcome.Failed) decided.decision().outcome();
        assertThat(failed.stop().status()).isEqualTo(503);
        assertThat(failed.stop().code()).isEqualTo("decision_not_recorded");
    }

    @Test
    void anUnexpectedFailure_becomesA500ThatNamesTheDecision_andIsRecorded() {
        var decided = pipeline(provider(r -> {
                    throw new NullPointerException("bug");
                }))
                .build()
                .chat(Caller.of("good"), hello());

        var failed = (Outcome.Failed) recorded.getFirst().outcome();
        assertThat(failed.stop().status()).isEqualTo(500);
        assertThat(failed.stop().message()).contains(decided.decision().id()).doesNotContain("NullPointer");
    }

    @Test
    void watchersSeeEveryStoredDecision_withRequestAndAnswer_andOneThatThrowsChangesNothing() {
        List<String> seen = new ArrayList<>();
        var decided = pipeline(provider(r -> answer("hi")))
                .observe(Observe.all(List.of(
                        (decision, request, answer) -> {
                            throw new IllegalStateException("watcher bug");
                        },
                        (decision, request, answer) ->
                                seen.add(decision.id() + " " + request.model() + " " + ((ChatResult) answer).text()))))
                .build()
                .chat(Caller.of("good"), hello());

        assertThat(decided.answer().text()).isEqualTo("hi");
        assertThat(seen).containsExactly(decided.decision().id() + " m hi");
    }

    @Test
    void watchersSeeRefusals_withoutAnAnswer_butNotCallsThatWereNotStored() {
        List<String> seen = new ArrayList<>();
        Observe watcher =
                (decision, request, answer) -> seen.add(decision.outcome().label() + " " + answer);
        var builder = pipeline(provider(r -> answer("hi")))
                .guardInput((draft, request) -> {
                    throw Stop.invalid(GuardInput.STAGE, "messages[0].content", "not allowed")
                            .toException();
                })
                .observe(watcher);

        builder.build().chat(Caller.of("good"), hello());
        builder.build().chat(Caller.of("bad"), hello());

        assertThat(seen).containsExactly("refused null");
    }
}
