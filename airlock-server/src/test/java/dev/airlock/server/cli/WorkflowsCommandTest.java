package dev.airlock.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.server.Airlock;
import dev.airlock.server.config.ConfigLoader;
import dev.airlock.testkit.FakeLoanSystem;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code airlock workflows ...} against a real node running the loan-risk example, with a stand-in loan system. */
class WorkflowsCommandTest {
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

    private FakeLoanSystem bank;
    private Airlock node;

    record Run(int exit, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    private Run airlock(String key, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--url";
        all[args.length + 1] = node.baseUrl();
        all[args.length + 2] = "--key";
        all[args.length + 3] = key;
        int exit = AirlockCli.run(new PrintWriter(out, true), new PrintWriter(err, true), all);
        return new Run(exit, out.toString(), err.toString());
    }

    @BeforeEach
    void start() throws Exception {
        bank = FakeLoanSystem.start();
        Map<String, String> env = Map.of(
                "AIRLOCK_PORT",
                "0",
                "AIRLOCK_STORE_URL",
                "jdbc:sqlite:" + dir.resolve("airlock.db"),
                "AIRLOCK_LOAN_SYSTEM_URL",
                bank.baseUrl(),
                "AIRLOCK_RETRAIN_DIR",
                dir.resolve("retraining").toString());
        node = Airlock.start(new ConfigLoader(env::get).parse(EXAMPLE, Files.readString(EXAMPLE) + KEYS));
    }

    @AfterEach
    void stop() {
        node.close();
        bank.close();
    }

    @Test
    void startWait_printsEachStepUntilTheRunWaits_approveLetsTheNodeFinishIt_andEventsFollowToTheEnd()
            throws Exception {
        Run started = airlock(
                APP, "workflows", "start", "loan-application", "--input", "{\"applicant_id\": \"A-2002\"}", "--wait");

        assertThat(started.exit()).as(started.err()).isZero();
        assertThat(started.out()).contains("run.started", "step.completed", "approval.requested");
        String last = started.lines().getLast();
        assertThat(last).contains("waiting", "loan-application", "waiting at review/underwriter");
        String run = last.split(" ")[0];
        assertThat(run).startsWith("run_");

        Run listed = airlock(APP, "workflows", "list");
        assertThat(listed.out()).contains(run).contains("waiting");

        Run refused = airlock(APP, "workflows", "approve", run);
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("the node answered 403").contains("reviewer or admin key");
        assertThat(bank.keys()).isEmpty();

        Run approved = airlock(REVIEWER, "workflows", "approve", run, "--note", "income verified by phone");
        assertThat(approved.exit()).as(approved.err()).isZero();
        assertThat(approved.out()).contains(run);

        Run events = airlock(APP, "workflows", "events", run);
        assertThat(events.exit()).as(events.err()).isZero();
        assertThat(events.lines()).anyMatch(l -> l.contains("approval.granted"));
        assertThat(events.lines().getLast()).contains("run.completed");
        int history = new ObjectMapper()
                .readTree(airlock(APP, "workflows", "events", run, "--json", "--no-follow")
                        .out()
                        .lines()
                        .findFirst()
                        .orElseThrow())
                .path("seq")
                .asInt();
        assertThat(history).isEqualTo(1);
        assertThat(events.lines()).hasSize((int) airlock(APP, "workflows", "events", run, "--no-follow")
                .out()
                .lines()
                .count());

        Run status = airlock(APP, "workflows", "status", run);
        assertThat(status.out()).contains("completed").contains("spent:");
        assertThat(bank.executions(run + "/record")).isEqualTo(1);
    }

    @Test
    void aLowRiskRun_startedWithWaitJson_endsCompleted_andItsLastLineIsTheRun() throws Exception {
        Run started = airlock(
                APP,
                "workflows",
                "start",
                "loan-application",
                "--input",
                "{\"applicant_id\": \"A-1001\"}",
                "--wait",
                "--json");

        assertThat(started.exit()).as(started.err()).isZero();
        JsonNode run = new ObjectMapper().readTree(started.lines().getLast());
        assertThat(run.path("status").asText()).isEqualTo("completed");
        assertThat(started.lines().get(started.lines().size() - 2)).contains("\"type\":\"run.completed\"");
    }

    @Test
    void cancel_endsAWaitingRun() {
        String run = airlock(
                        APP,
                        "workflows",
                        "start",
                        "loan-application",
                        "--input",
                        "{\"applicant_id\": \"A-2002\"}",
                        "--wait")
                .lines()
                .getLast()
                .split(" ")[0];

        Run cancelled = airlock(APP, "workflows", "cancel", run, "--note", "applicant withdrew");

        assertThat(cancelled.exit()).as(cancelled.err()).isZero();
        assertThat(cancelled.out()).contains("cancelled");
        assertThat(airlock(APP, "workflows", "events", run).exit()).isEqualTo(1);
    }

    @Test
    void badInputAndUnknownWorkflows_areNamed() {
        Run notAnObject = airlock(APP, "workflows", "start", "loan-application", "--input", "[1]");
        assertThat(notAnObject.exit()).isEqualTo(2);
        assertThat(notAnObject.err()).contains("--input: '[1]'; expected a JSON object");

        Run unknown = airlock(APP, "workflows", "start", "no-such-flow", "--input", "{}");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("the node answered 404").contains("no-such-flow");

        Run missing = airlock(APP, "workflows", "status", "run_nope");
        assertThat(missing.err()).contains("the node answered 404").contains("run_nope");
    }

    @Test
    void aNodeThatIsNotThere_isNamedWithItsUrl() {
        StringWriter err = new StringWriter();
        int exit = AirlockCli.run(
                new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true),
                "workflows",
                "list",
                "--url",
                "http://127.0.0.1:1",
                "--key",
                APP);
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("no Airlock node answers at http://127.0.0.1:1");
    }
}
