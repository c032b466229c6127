package dev.airlock.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.decision.RequestKind;
import dev.airlock.guard.PiiGuard;
import dev.airlock.pii.PiiDetector;
import dev.airlock.server.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Options are declared once, with their types and defaults: binding, code, the JSON Schema and the reference all read
 * the same declaration. Run with {@code -Dairlock.docs.write=true} to rewrite the generated docs.
 */
class ConfigDeclarationTest {
    private static final Path FILE = Path.of("conf/airlock.yaml");
    private static final Path SCHEMA = Path.of("../docs/airlock.schema.json");
    private static final Path REFERENCE = Path.of("../docs/configuration.md");

    private static AirlockConfig parse(String yaml) {
        return new ConfigLoader(name -> null).parse(FILE, yaml);
    }

    @Test
    void anEmptyFile_andAConfigurationBuiltInCode_haveTheSameTypedDefaults() {
        AirlockConfig fromFile = parse("");
        AirlockConfig inCode = AirlockConfig.builder().build().checked();

        assertThat(inCode.server()).isEqualTo(fromFile.server());
        assertThat(inCode.audit()).isEqualTo(fromFile.audit());
        assertThat(inCode.cost()).isEqualTo(fromFile.cost());
        assertThat(inCode.review()).isEqualTo(fromFile.review());
        assertThat(inCode.deployments()).isEqualTo(fromFile.deployments());
        assertThat(fromFile.review().sla()).isEqualTo(Duration.ofHours(4));
        assertThat(fromFile.audit().checkpointInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(fromFile.deployments().refresh()).isEqualTo(Duration.ofSeconds(2));
        assertThat(fromFile.cost().defaultOutputTokens()).isEqualTo(1024L);
    }

    @Test
    void optionsBuiltInCode_areBoundAndCheckedLikeOptionsReadFromAFile() {
        var model = ModelConfig.of(Map.of(
                "kind",
                "chat",
                "provider",
                "up",
                "guards",
                Map.of("pii", Map.of("action", "redact", "types", List.of("email")))));

        assertThat(model.kind()).isEqualTo(RequestKind.CHAT);
        assertThat(model.deadline()).isEqualTo(Duration.ofSeconds(60));
        assertThat(model.retry().attempts()).isEqualTo(2);
        assertThat(model.guards().pii().policy())
                .isEqualTo(new PiiGuard.Policy(PiiGuard.Action.REDACT, Set.of(PiiDetector.Type.EMAIL)));
        assertThatThrownBy(
                        () -> ModelConfig.of(Map.of("kind", "chat", "provider", "up", "retry", Map.of("attempts", 11))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retry.attempts: 11 is not within 1..10");
        assertThatThrownBy(() -> new AirlockConfig.Server("127.0.0.1", 70_000, 1_048_576, null))
                .hasMessage("port: 70000 is not a port (0-65535)");
    }

    @Test
    void aConfigurationBuiltInCode_isCheckedAsAWhole_withErrorsNamingTheOption() {
        var config = AirlockConfig.builder()
                .provider("up", ProviderConfig.openAi("http://127.0.0.1:1/v1"))
                .model("assistant", ModelConfig.of(Map.of("kind", "predict", "provider", "up")))
                .build();

        assertThatThrownBy(config::checked)
                .isInstanceOf(ConfigException.class)
                .hasMessage("(configuration): models.assistant: provider 'up' (openai) cannot serve predict models");
    }

    @Test
    void checking_buildsPromptsAndPoliciesOnce_andHandsThemOn() {
        AirlockConfig config = parse("""
                prompts:
                  greet: {versions: {"1": {template: "Hello {{name}}", variables: {name: {type: string}}}}}
                policies:
                  refunds: {versions: {"1": {rules: [{name: big, when: "true", effect: deny}]}}}
                """);

        assertThat(config.built().prompts().find("greet@1")).isPresent();
        assertThat(config.built().policies().find("refunds@1")).isPresent();
        assertThat(config.checked()).isSameAs(config);
    }

    @Test
    void rulesBrokenWhileBinding_nameFileLineOptionAndValue() {
        String model = """
                providers:
                  up: {kind: openai, base_url: "http://127.0.0.1:1/v1"}
                models:
                  assistant:
                    kind: chat
                    provider: up
                """;

        assertThatThrownBy(() -> parse(model + "    retry:\n      attempts: 11\n"))
                .hasMessage(FILE + ":8: models.assistant.retry.attempts: 11 is not within 1..10");
        assertThatThrownBy(() -> parse(model + "    guards:\n      pii: {action: scramble}\n"))
                .hasMessage(FILE + ":8: models.assistant.guards.pii.action: 'scramble' is not one of redact, tokenize,"
                        + " mask, block");
        assertThatThrownBy(() -> parse(model + "    deadline: soon\n"))
                .hasMessage(FILE + ":7: models.assistant.deadline: 'soon' is not a duration; expected e.g. 250ms, 30s,"
                        + " 5m, 1h or 90d");
        assertThatThrownBy(() -> parse("deployments:\n  canary_window: 5\n  canary_min_calls: 10\n"))
                .hasMessage(FILE + ":1: deployments: need 1 <= canary_min_calls <= canary_window, not 10 and 5");
    }

    @Test
    void eachProviderKind_takesItsOwnOptions() {
        assertThatThrownBy(() ->
                        parse("providers:\n  up:\n    kind: openai\n    base_url: http://h/v1\n    path: m.onnx\n"))
                .hasMessageStartingWith(FILE + ":5: providers.up: unknown field 'path'; expected one of:")
                .hasMessageContaining("base_url");
        assertThatThrownBy(() -> parse("providers:\n  up:\n    base_url: http://h/v1\n"))
                .hasMessage(FILE + ":2: providers.up.kind: missing; expected one of [openai, minilm-embeddings,"
                        + " onnx-tabular, anthropic, gemini, bedrock]");
        assertThatThrownBy(() -> parse("providers:\n  aws:\n    kind: bedrock\n    region: Frankfurt\n"))
                .hasMessage(FILE + ":4: providers.aws.region: 'Frankfurt' is not an AWS region; expected e.g."
                        + " us-east-1");
        assertThatThrownBy(() -> parse(
                        "providers:\n  aws:\n    kind: bedrock\n    region: eu-central-1\n    access_key_id: AKID\n"))
                .hasMessageStartingWith(FILE + ":2: providers.aws.secret_access_key: access_key_id and"
                        + " secret_access_key go together");
        var claude = parse("providers:\n  claude: {kind: anthropic, api_key: sk-ant-1234}\n")
                .providers()
                .get("claude");
        assertThat(claude).isInstanceOf(ProviderConfig.AnthropicProvider.class);
        assertThat(((ProviderConfig.AnthropicProvider) claude).maxTokens()).isEqualTo(4096);
        assertThat(claude.toString()).doesNotContain("sk-ant-1234");
        assertThatThrownBy(() -> parse("providers:\n  local:\n    kind: onnx-tabular\n"))
                .hasMessage(FILE + ":2: providers.local.path: missing; expected the .onnx file of the model");

        var embedder = parse("providers:\n  local: {kind: minilm-embeddings}\n")
                .providers()
                .get("local");
        assertThat(embedder).isInstanceOf(ProviderConfig.MiniLmProvider.class);
        assertThat(embedder.trust()).isEqualTo(AirlockConfig.Trust.ON_PREMISES);
        assertThat(embedder.queueTimeout()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void theReferenceDefaultsColumn_isGeneratedFromTheDeclaration() throws Exception {
        String written = Files.readString(REFERENCE);
        String generated = ConfigDocs.withDefaults(written);
        String schema = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(ConfigSchema.generate());
        if (Boolean.getBoolean("airlock.docs.write")) {
            Files.writeString(REFERENCE, generated);
            Files.writeString(SCHEMA, schema + "\n");
        }

        assertThat(written)
                .as("docs/configuration.md defaults are stale: run this test with -Dairlock.docs.write=true")
                .isEqualTo(generated);
        assertThat(generated).contains("| `deadline` | `60s` |", "| `reservation_ttl` | `1m` |");
        assertThat(generated)
                .contains(
                        "| `trust` | `external` (openai, anthropic, gemini, bedrock), `on-premises` (minilm-embeddings,"
                                + " onnx-tabular) |");
        assertThat(Files.readString(SCHEMA).strip())
                .as("docs/airlock.schema.json is stale: run this test with -Dairlock.docs.write=true")
                .isEqualTo(schema.strip());
    }

    @Test
    void theSchemaCarriesTheDefaults_andItsPatternsAreValidEcmaScriptUnicodeRegexes() {
        JsonNode schema = ConfigSchema.generate();

        assertThat(schema.at("/properties/server/properties/port/default").asInt())
                .isEqualTo(8080);
        assertThat(schema.at("/properties/review/properties/sla/default").asText())
                .isEqualTo("4h");
        List<String> patterns = new ArrayList<>();
        collectPatterns(schema, patterns);
        assertThat(patterns)
                .isNotEmpty()
                .allSatisfy(p -> assertThat(unicodeModeProblem(p)).as(p).isNull());
        assertThat(patterns).allSatisfy(p -> Pattern.compile(p));
    }

    @Test
    void theSchemasModelKinds_areExactlyTheKindsThatLoad() {
        JsonNode schema = ConfigSchema.generate();
        List<String> allowed = new ArrayList<>();
        findModelKinds(schema, allowed);

        assertThat(allowed).containsExactly("chat", "embedding", "predict");
        for (RequestKind kind : RequestKind.values()) {
            String yaml =
                    "providers: {e: {kind: minilm-embeddings}}\nmodels:\n  m: {kind: " + kind.id() + ", provider: e}\n";
            if (allowed.contains(kind.id())) {
                continue; // loads or fails on its provider, not on its kind
            }
            assertThatThrownBy(() -> new ConfigLoader(name -> null).parse(Path.of("a.yaml"), yaml))
                    .hasMessageContaining("models.m.kind")
                    .hasMessageContaining("'tool' is not a model's kind");
        }
    }

    /** The enum of every {@code kind} that lists {@code chat}: the models' kind, wherever the generator put it. */
    private static void findModelKinds(JsonNode node, List<String> into) {
        JsonNode kind =
                node.path("properties").path("kind").path("anyOf").path(0).path("enum");
        if (kind.isArray() && kind.toString().contains("\"chat\"")) {
            kind.forEach(k -> into.add(k.asText()));
            return;
        }
        node.forEach(child -> {
            if (into.isEmpty()) {
                findModelKinds(child, into);
            }
        });
    }

    /** Ajv's strict mode refuses an object keyword on a schema that does not say it is an object. */
    @Test
    void objectKeywords_appearOnlyOnObjectSchemas() {
        List<String> misplaced = new ArrayList<>();
        collectMisplacedObjectKeywords(ConfigSchema.generate(), "", misplaced);

        assertThat(misplaced).isEmpty();
    }

    private static void collectMisplacedObjectKeywords(JsonNode node, String at, List<String> into) {
        if (node.isObject()
                && (node.has("additionalProperties") || node.has("properties") || node.has("required"))
                && !node.path("type").asText().equals("object")
                && !at.endsWith("/properties")
                && !at.endsWith("/$defs")) {
            into.add(at);
        }
        node.fields().forEachRemaining(e -> collectMisplacedObjectKeywords(e.getValue(), at + "/" + e.getKey(), into));
        for (int i = 0; node.isArray() && i < node.size(); i++) {
            collectMisplacedObjectKeywords(node.get(i), at + "/" + i, into);
        }
    }

    private static void collectPatterns(JsonNode node, List<String> into) {
        if (node.has("pattern") && node.get("pattern").isTextual()) {
            into.add(node.get("pattern").asText());
        }
        node.forEach(child -> collectPatterns(child, into));
    }

    /**
     * What a JavaScript {@code RegExp} with the {@code u} flag (as Ajv compiles patterns) refuses that Java accepts: a
     * brace that is not part of a quantifier, outside a character class.
     */
    private static String unicodeModeProblem(String pattern) {
        boolean inClass = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                i++;
            } else if (inClass) {
                inClass = c != ']';
            } else if (c == '[') {
                inClass = true;
            } else if (c == '{') {
                var quantifier =
                        Pattern.compile("\\{\\d+(,\\d*)?}").matcher(pattern).region(i, pattern.length());
                if (!quantifier.lookingAt()) {
                    return "lone '{' at " + i;
                }
                i = quantifier.end() - 1;
            } else if (c == '}') {
                return "lone '}' at " + i;
            }
        }
        return null;
    }
}
