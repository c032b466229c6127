package dev.airlock.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.airlock.audit.AuditEvent;
import dev.airlock.store.Store;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration as code: a directory of files planned, applied (twice is a no-op), exported; its JSON Schema. */
class ConfigAsCodeTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    private static Run airlock(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = AirlockCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path configDirectory() throws Exception {
        Path conf = dir.resolve("conf");
        Files.createDirectories(conf.resolve("models"));
        Files.writeString(conf.resolve("airlock.yaml"), """
                store: {url: "jdbc:sqlite:%s"}
                providers:
                  openai: {kind: openai, base_url: "https://api.openai.com/v1", api_key: "${OPENAI_API_KEY:-}"}
                budgets:
                  - {name: acme-monthly, tenant: acme, period: month, soft: 800, hard: 1000}
                """.formatted(dir.resolve("store.db")));
        Files.writeString(conf.resolve("models/support.yaml"), """
                models:
                  support:
                    kind: chat
                    provider: openai
                    upstream_model: gpt-4o-mini
                    version: "1"
                    versions:
                      "2": {upstream_model: gpt-4o}
                    owner: support-team
                    operations:
                      thresholds: {latency_p99_ms: 2000, error_rate: 0.05}
                """);
        return conf;
    }

    @Test
    void applyShowsThePlan_recordsARevision_andApplyingAgainChangesNothing() throws Exception {
        Path conf = configDirectory();

        Run plan = airlock("plan", "-f", conf.toString(), "--detailed-exitcode");
        assertThat(plan.exit()).as(plan.err()).isEqualTo(2);
        assertThat(plan.out())
                .contains("nothing applied yet")
                .contains("+ providers.openai")
                .contains("+ models.support")
                .contains("+ budgets.acme-monthly")
                .contains("Plan: 4 to create, 0 to change, 0 to remove.");

        Run first = airlock("apply", "-f", conf.toString());
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).contains("Applied as revision");

        Run again = airlock("apply", "-f", conf.toString());
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("No changes").doesNotContain("Applied as revision");

        Files.writeString(
                conf.resolve("models/support.yaml"),
                Files.readString(conf.resolve("models/support.yaml")).replace("error_rate: 0.05", "error_rate: 0.02"));
        Run changed = airlock("plan", "-f", conf.toString());
        assertThat(changed.out())
                .contains("~ models.support (operations/thresholds/error_rate)")
                .contains("Plan: 0 to create, 1 to change, 0 to remove.");
        assertThat(airlock("apply", "-f", conf.toString()).exit()).isZero();

        try (var store = Store.open("jdbc:sqlite:" + dir.resolve("store.db"), null, null)) {
            List<String> applied = new ArrayList<>();
            store.auditChain().forEachLink(l -> {
                if (l.record() instanceof AuditEvent e && e.action().equals("config.applied")) {
                    applied.add(e.details().get("created") + "/" + e.details().get("changed"));
                }
            });
            assertThat(applied).containsExactly("4/0", "0/1");
            assertThat(store.configRevisions()
                            .latestConfigRevision()
                            .orElseThrow()
                            .body())
                    .contains("${OPENAI_API_KEY:-}")
                    .as("stored as written: variables stay variables")
                    .contains("\"error_rate\":0.02");
        }
    }

    @Test
    void anInvalidFileIsRefused_withFileAndLine_andNothingIsApplied() throws Exception {
        Path conf = configDirectory();
        Files.writeString(
                conf.resolve("models/broken.yaml"), "models:\n  broken:\n    kind: chat\n    provider: nope\n");

        Run run = airlock("apply", "-f", conf.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err())
                .contains(conf.resolve("models/broken.yaml") + ":4: models.broken.provider: provider 'nope' is not"
                        + " declared");
        assertThat(Files.exists(dir.resolve("store.db"))).isFalse();
    }

    @Test
    void exportWritesTheAppliedConfiguration_withAliasesAsDeployedNow() throws Exception {
        Path conf = configDirectory();
        assertThat(airlock("apply", "-f", conf.toString()).exit()).isZero();
        Path exported = dir.resolve("exported.yaml");

        Run run = airlock("export", "-c", conf.toString(), "-o", exported.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        var tree = YAML.readTree(exported.toFile());
        assertThat(tree.path("models")
                        .path("support")
                        .path("aliases")
                        .path("production")
                        .asText())
                .isEqualTo("1");
        assertThat(tree.path("providers").path("openai").path("api_key").asText())
                .isEqualTo("${OPENAI_API_KEY:-}");
        Run replanned = airlock("plan", "-f", conf.toString());
        assertThat(replanned.out()).contains("No changes");
    }

    @Test
    void thePublishedSchema_isCurrent_acceptsTheExamples_andCatchesATypo() throws Exception {
        String generated = ConfigCommand.Schema.schemaText();
        Path published = Path.of("../docs/airlock.schema.json");
        assertThat(Files.readString(published).strip())
                .as("docs/airlock.schema.json is stale: run ./airlock config schema > docs/airlock.schema.json")
                .isEqualTo(generated.strip());

        var schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(generated);
        var example =
                YAML.readTree(Path.of("../examples/loan-risk/airlock.yaml").toFile());
        assertThat(schema.validate(example)).isEmpty();
        var support = YAML.readTree(Files.readString(configDirectory().resolve("models/support.yaml")));
        assertThat(schema.validate(support)).isEmpty();

        var typo = YAML.readTree("models:\n  support: {kind: chat, provder: openai}\nserver:\n  port: ${PORT:-8080}\n");
        var errors = schema.validate(typo);
        assertThat(errors).hasSize(1);
        assertThat(errors.getFirst().toString()).contains("provder");
    }
}
