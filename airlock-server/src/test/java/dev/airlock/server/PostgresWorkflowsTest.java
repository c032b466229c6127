package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.server.config.ConfigLoader;
import dev.airlock.store.TestDatabase;
import dev.airlock.store.TestPostgres;
import dev.airlock.testkit.FakeLoanSystem;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes of the loan-risk example sharing one PostgreSQL: a run that waits for an underwriter on one node is
 * approved on the other and finishes there; the first node's lease handling never runs it a second time.
 */
class PostgresWorkflowsTest {
    private static final Path EXAMPLE = Path.of("../examples/loan-risk/airlock.yaml");
    private static final String APP = "ak_app1_app-secret-0123456789abcdef";
    private static final String REVIEWER = "ak_review1_review-secret-0123456789abcdef";
    private static final String KEYS = """

            keys:
              - {id: app1, tenant: default, role: app, secret: "app-secret-0123456789abcdef"}
              - {id: review1, tenant: default, role: reviewer, secret: "review-secret-0123456789abcdef"}
            """;

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private Airlock node(TestDatabase database, FakeLoanSystem bank, String name) throws Exception {
        Map<String, String> env = Map.of(
                "AIRLOCK_PORT", "0",
                "AIRLOCK_STORE_URL", database.url(),
                "AIRLOCK_STORE_USER", Objects.requireNonNullElse(database.user(), ""),
                "AIRLOCK_STORE_PASSWORD", Objects.requireNonNullElse(database.password(), ""),
                "AIRLOCK_LOAN_SYSTEM_URL", bank.baseUrl(),
                "AIRLOCK_WORKFLOW_LEASE", "5s",
                "AIRLOCK_RETRAIN_DIR", dir.resolve(name).toString());
        Airlock node = Airlock.start(new ConfigLoader(env::get).parse(EXAMPLE, Files.readString(EXAMPLE) + KEYS));
        open.add(node);
        return node;
    }

    @Test
    void aRunWaitingOnNodeA_isApprovedOnNodeB_finishesOnB_andRunsOnce() throws Exception {
        TestDatabase database = TestPostgres.fromEnvironment().freshSchema();
        open.add(database);
        FakeLoanSystem bank = FakeLoanSystem.start();
        open.add(bank);
        Airlock a = node(database, bank, "a");
        Airlock b = node(database, bank, "b");

        HttpResponse<String> started = TestHttp.post(
                a.baseUrl(),
                "/v1/admin/workflows/loan-application/runs",
                APP,
                "{\"input\": {\"applicant_id\": \"A-2002\"}}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String run = TestNode.parse(started.body()).path("id").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> status(a, run).equals("waiting"));
        assertThat(bank.keys()).isEmpty();

        HttpResponse<String> approved = TestHttp.post(
                b.baseUrl(), "/v1/admin/workflows/runs/" + run + "/approve", REVIEWER, "{\"note\": \"checked\"}");
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> !status(a, run).equals("running"));
        assertThat(status(a, run)).as(history(a, run).toString()).isEqualTo("completed");

        // B went on with the run at once; A, looking for abandoned runs every half lease, never took it over (that
        // would be a run.resumed entry) nor resent the decision, for more than two leases
        assertThat(types(a, run)).doesNotContain("run.resumed");
        await().during(Duration.ofSeconds(12))
                .atMost(Duration.ofSeconds(20))
                .until(() ->
                        bank.deliveries(run + "/record") == 1 && !types(a, run).contains("run.resumed"));
        assertThat(bank.executions(run + "/record")).isEqualTo(1);
        List<String> completed = new ArrayList<>();
        for (JsonNode e : history(a, run)) {
            if (e.path("type").asText().equals("step.completed")) {
                completed.add(e.path("step").asText());
            }
        }
        assertThat(completed).doesNotHaveDuplicates().contains("score", "record");
        assertThat(types(a, run)).containsOnlyOnce("approval.granted", "run.completed");
    }

    private static String status(Airlock node, String run) {
        return TestNode.parse(TestHttp.get(node.baseUrl(), "/v1/admin/workflows/runs/" + run, APP)
                        .body())
                .path("status")
                .asText();
    }

    private static JsonNode history(Airlock node, String run) {
        return TestNode.parse(TestHttp.get(node.baseUrl(), "/v1/admin/workflows/runs/" + run + "/events", APP)
                        .body())
                .path("data");
    }

    private static List<String> types(Airlock node, String run) {
        List<String> types = new ArrayList<>();
        history(node, run).forEach(e -> types.add(e.path("type").asText()));
        return types;
    }
}
