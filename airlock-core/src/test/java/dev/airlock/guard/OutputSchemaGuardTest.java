package dev.airlock.guard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.decision.Decision;
import dev.airlock.decision.DecisionLog;
import dev.airlock.decision.DecisionQuery;
import dev.airlock.decision.Outcome;
import dev.airlock.decision.Principal;
import dev.airlock.decision.RequestKind;
import dev.airlock.decision.Role;
import dev.airlock.decision.StageNote;
import dev.airlock.decision.Usage;
import dev.airlock.pipeline.Caller;
import dev.airlock.pipeline.Pipeline;
import dev.airlock.pipeline.Record;
import dev.airlock.pipeline.Resolve;
import dev.airlock.provider.ChatMessage;
import dev.airlock.provider.ChatProvider;
import dev.airlock.provider.ChatRequest;
import dev.airlock.provider.ChatResult;
import dev.airlock.provider.ChunkSink;
import dev.airlock.provider.StreamSummary;
import dev.airlock.registry.ModelCatalog;
import dev.airlock.registry.ModelSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The output schema guard in a pipeline whose model answers from a script. */
class OutputSchemaGuardTest {
    private static final Map<String, Object> PERSON = Map.of(
            "type",
            "json_schema",
            "json_schema",
            Map.of(
                    "name",
                    "person",
                    "schema",
                    Map.of(
                            "type", "object",
                            "properties", Map.of("age", Map.of("type", "integer")),
                            "required", List.of("age"))));

    private final List<Decision> recorded = new ArrayList<>();
    private final Deque<String> script = new ArrayDeque<>();
    private final List<ChatRequest> asked = new ArrayList<>();

    private Pipeline pipeline(Integer maxRepairs) {
        ChatProvider provider = new ChatProvider() {
            @Override
            public String name() {
                return "p";
            }

            @Override
            public ChatResult complete(String upstreamModel, ChatRequest request) {
                asked.add(request);
                return new ChatResult("{}", script.removeFirst(), "stop", new Usage(2, 3), "up-m");
            }

            @Override
            public StreamSummary stream(String upstreamModel, ChatRequest request, ChunkSink sink) {
                throw new UnsupportedOperationException();
            }
        };
        var catalog = ModelCatalog.builder()
                .add(new ModelSpec("m", RequestKind.CHAT, "3", "p", "up-m", "team", "", null), provider)
                .build();
        var guard = new OutputSchemaGuard(model -> maxRepairs);
        return Pipeline.builder()
                .authenticate(key -> new Principal("acme", "k1", Role.APP))
                .resolve(Resolve.from(catalog))
                .guardInput(guard)
                .guardOutput(guard)
                .record(Record.storing(new Recorded(), new SimpleMeterRegistry()))
                .build();
    }

    private static ChatRequest asking(Map<String, Object> format) {
        return new ChatRequest(
                "m", List.of(ChatMessage.of("user", "who")), Map.of("response_format", format), false, false);
    }

    private List<String> verdicts() {
        return recorded.getFirst().notes().stream()
                .filter(n -> n.stage().equals("guard_output"))
                .map(StageNote::verdict)
                .toList();
    }

    @Test
    void anAnswerMatchingTheSchema_passes_andIsNotedValid() {
        script.add("```json\n{\"age\": 41}\n```");

        var decided = pipeline(1).chat(Caller.of("k"), asking(PERSON));

        assertThat(decided.answer()).isNotNull();
        assertThat(verdicts()).contains("valid");
        assertThat(asked).hasSize(1);
    }

    @Test
    void anAnswerNotMatching_isSentBackWithTheErrors_andTheRepairedOnePasses() {
        script.add("{\"age\": \"forty\"}");
        script.add("{\"age\": 40}");

        var decided = pipeline(1).chat(Caller.of("k"), asking(PERSON));

        assertThat(decided.answer().text()).isEqualTo("{\"age\": 40}");
        assertThat(asked).hasSize(2);
        assertThat(asked.get(1).messages().getLast().text()).contains("did not match the required JSON schema");
    }

    @Test
    void anAnswerStillInvalidAfterTheRepairs_isRefused() {
        script.add("not json");
        script.add("still not json");

        pipeline(1).chat(Caller.of("k"), asking(Map.of("type", "json_object")));

        var refused = (Outcome.Refused) recorded.getFirst().outcome();
        assertThat(refused.stop().status()).isEqualTo(422);
    }

    @Test
    void aSchemaThatRefersToItselfForever_isTheCallersError_beforeTheModelIsAsked() {
        var looping = Map.<String, Object>of(
                "type", "json_schema", "json_schema", Map.of("name", "x", "schema", Map.of("$ref", "#")));

        pipeline(1).chat(Caller.of("k"), asking(looping));

        var refused = (Outcome.Refused) recorded.getFirst().outcome();
        assertThat(refused.stop().status()).isEqualTo(400);
        assertThat(refused.stop().param()).startsWith("response_format.json_schema.schema");
        assertThat(asked).isEmpty();
    }

    @Test
    void aModelThatDoesNotValidate_letsAnyAnswerThrough() {
        script.add("not json");

        var decided = pipeline(null).chat(Caller.of("k"), asking(PERSON));

        assertThat(decided.answer().text()).isEqualTo("not json");
    }

    @Test
    void schemaShape_findsNestingTooDeep_andSameValueLoops_butAcceptsARecursiveList() throws Exception {
        var json = new ObjectMapper();
        String deep = "{\"items\":".repeat(SchemaShape.MAX_DEPTH + 1) + "{}" + "}".repeat(SchemaShape.MAX_DEPTH + 1);

        assertThat(SchemaShape.tooDeep(json.readTree(deep))).isPresent();
        assertThat(SchemaShape.problemOf(json.readTree(
                        "{\"$defs\":{\"a\":{\"allOf\":[{\"$ref\":\"#/$defs/b\"}]},\"b\":{\"allOf\":[{\"$ref\":\"#/$defs/a\"}]}},"
                                + "\"$ref\":\"#/$defs/a\"}")))
                .isPresent();
        assertThat(SchemaShape.problemOf(
                        json.readTree("{\"type\":\"object\",\"properties\":{\"next\":{\"$ref\":\"#\"}}}")))
                .isEmpty();
    }

    /** Keeps the Decisions recorded, in order. */
    private final class Recorded implements DecisionLog {
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
            return List.copyOf(recorded);
        }

        @Override
        public void searchDecisions(DecisionQuery query, Predicate<Decision> visitor) {
            recorded.forEach(visitor::test);
        }
    }
}
