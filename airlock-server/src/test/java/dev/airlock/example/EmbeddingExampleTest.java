package dev.airlock.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.decision.Decision;
import dev.airlock.decision.Principal;
import dev.airlock.decision.Role;
import dev.airlock.provider.Prediction;
import dev.airlock.server.cli.AirlockCli;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.config.ConfigLoader;
import dev.airlock.server.runtime.AirlockRuntime;
import dev.airlock.server.runtime.ChatAnswer;
import dev.airlock.server.runtime.ChatCall;
import dev.airlock.server.runtime.InProcessClient;
import dev.airlock.server.runtime.Reply;
import dev.airlock.store.Store;
import dev.airlock.testkit.FakeOpenAi;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Embedding Airlock in a JVM application" example, compiled and run as written: a loan application
 * scored in-process and a chat model asked about it, both as recorded, sealed and verifiable Decisions, with no HTTP
 * port opened by Airlock. The example is the body of {@link #scoreAndExplain}; {@link #readmeShowsThisExample} fails
 * when the README's copy differs from it.
 */
class EmbeddingExampleTest {
    private static final String APP_KEY = "ak_loans_loans-secret-0123456789abcdef";
    private static final Path LOAN_MODEL = Path.of("../examples/loan-risk/model/loan-risk.onnx")
            .toAbsolutePath()
            .normalize();
    private static final Path README = Path.of("../README.md");
    private static final Path THIS_SOURCE = Path.of("src/test/java/dev/airlock/example/EmbeddingExampleTest.java");

    @TempDir
    Path dir;

    private FakeOpenAi upstream;
    /** Holds the port the configuration names for the server: a runtime that tried to listen would fail to start. */
    private ServerSocket serverPort;

    private Path configFile;

    @BeforeEach
    void setUp() throws IOException {
        upstream = FakeOpenAi.start();
        serverPort = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        configFile = dir.resolve("airlock.yaml");
        Files.writeString(configFile, """
                server: {host: 127.0.0.1, port: %d}
                store: {url: "jdbc:sqlite:%s"}
                providers:
                  chat-upstream:
                    {kind: openai, base_url: "%s", timeout: 5s, prices: {llama3.2: {input: 0, output: 0}}}
                  loan-risk-onnx: {kind: onnx-tabular, path: "%s"}
                models:
                  loan-risk: {kind: predict, provider: loan-risk-onnx, owner: credit-risk-team}
                  assistant: {kind: chat, provider: chat-upstream, upstream_model: llama3.2}
                keys:
                  - {id: loans, tenant: acme, role: app, name: loan desk, secret: "loans-secret-0123456789abcdef"}
                """.formatted(
                        serverPort.getLocalPort(), dir.resolve("airlock.db"), upstream.baseUrl(), LOAN_MODEL));
    }

    @AfterEach
    void tearDown() throws IOException {
        serverPort.close();
        upstream.close();
    }

    // README: begin
    static List<Reply<?>> scoreAndExplain(Path configFile, String appKey) {
        AirlockConfig config = ConfigLoader.fromSystemEnvironment().load(configFile);
        try (AirlockRuntime airlock = AirlockRuntime.start(config)) {
            // the application's own Airlock key: its calls are Decisions of its tenant, within its budgets
            InProcessClient loanDesk = airlock.client(appKey).aboutSubject("applicant-4711");

            Reply<Prediction> risk = loanDesk.predict(
                    "loan-risk",
                    Map.of(
                            "annual_income", 38000,
                            "debt_to_income", 0.46,
                            "employment_years", 1,
                            "loan_amount", 22000,
                            "loan_term_months", 60,
                            "credit_history_years", 3,
                            "delinquencies_2y", 2,
                            "open_credit_lines", 9,
                            "home_ownership", "rent",
                            "purpose", "small_business"));
            String assessment = switch (risk) {
                case Reply.Answered<Prediction> a ->
                    a.answer().label() + " (reasons " + a.answer().reasons() + ", decision " + a.decisionId() + ")";
                case Reply.Held<Prediction> h -> "held for review " + h.reviewId();
                case Reply.Refused<Prediction> r -> "refused: " + r.reason().message();
                case Reply.Failed<Prediction> f -> "failed: " + f.reason().message();
            };

            Reply<ChatAnswer> note = loanDesk.chat(
                    ChatCall.user("assistant", "Write a two-line note to the underwriter about: " + assessment));
            if (note instanceof Reply.Answered<ChatAnswer> a) {
                System.out.println(a.answer().text() + "  (decision " + a.decisionId() + ")");
            }
            return List.of(risk, note);
        }
    }
    // README: end

    @Test
    void theExampleScoresAndChatsInProcessAsRecordedSealedDecisions() throws IOException {
        List<Reply<?>> replies = scoreAndExplain(configFile, APP_KEY);

        assertThat(replies).hasSize(2).allMatch(r -> r instanceof Reply.Answered<?>);
        var risk = (Reply.Answered<?>) replies.get(0);
        var note = (Reply.Answered<?>) replies.get(1);
        assertThat(((Prediction) risk.answer()).probabilities()).isNotEmpty();
        assertThat(((ChatAnswer) note.answer()).text()).isNotBlank();
        assertThat(upstream.received()).hasSize(1);

        AirlockConfig config = ConfigLoader.fromSystemEnvironment().load(configFile);
        try (Store store = Store.open(
                config.store().url(), config.store().user(), config.store().password())) {
            for (var answered : List.of(risk, note)) {
                Decision recorded =
                        store.decisionLog().findDecision(answered.decisionId()).orElseThrow();
                assertThat(recorded.principal()).isEqualTo(new Principal("acme", "loans", Role.APP));
                assertThat(recorded.answered()).isTrue();
                assertThat(recorded.modelVersion()).isEqualTo(answered.modelVersion());
            }
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = AirlockCli.run(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                "audit",
                "verify",
                "--strict",
                "--config",
                configFile.toString());
        assertThat(exit).as("airlock audit verify --strict: %s%s", out, err).isZero();
    }

    @Test
    void aStreamedChatDeliversItsTextAsItComesAndRecordsOneDecision() {
        AirlockConfig config = ConfigLoader.fromSystemEnvironment().load(configFile);
        List<String> pieces = new ArrayList<>();
        try (AirlockRuntime airlock = AirlockRuntime.start(config)) {
            Reply<ChatAnswer> reply =
                    airlock.client(APP_KEY).chatStream(ChatCall.user("assistant", "Hello"), pieces::add);

            var answered = (Reply.Answered<ChatAnswer>) reply;
            assertThat(String.join("", pieces))
                    .isEqualTo(answered.answer().text())
                    .isNotEmpty();
            assertThat(airlock.store().decisionLog().findDecision(answered.decisionId()))
                    .hasValueSatisfying(d -> assertThat(d.stream()).isTrue());
        }
    }

    @Test
    void aKeyThatDoesNotAuthenticateIsRefusedWithoutARecord() {
        AirlockConfig config = ConfigLoader.fromSystemEnvironment().load(configFile);
        try (AirlockRuntime airlock = AirlockRuntime.start(config)) {
            Reply<Prediction> reply =
                    airlock.client("ak_loans_wrong-secret-0123456789abcdef").predict("loan-risk", Map.of());

            assertThat(reply).isInstanceOfSatisfying(Reply.Refused.class, refused -> {
                assertThat(refused.decisionId()).isEqualTo(Optional.empty());
                assertThat(refused.reason().status()).isEqualTo(401);
            });
        }
    }

    @Test
    void anUnknownModelIsRefusedAsARecordedDecisionNamingTheModel() {
        AirlockConfig config = ConfigLoader.fromSystemEnvironment().load(configFile);
        try (AirlockRuntime airlock = AirlockRuntime.start(config)) {
            Reply<ChatAnswer> reply = airlock.client(APP_KEY).chat(ChatCall.user("no-such-model", "Hello"));

            var refused = (Reply.Refused<ChatAnswer>) reply;
            assertThat(refused.reason().code()).isEqualTo("model_not_found");
            assertThat(refused.decisionId())
                    .hasValueSatisfying(
                            id -> assertThat(airlock.store().decisionLog().findDecision(id))
                                    .isPresent());
        }
    }

    @Test
    void aSubjectThatNoCallMayNameIsRejectedAtOnce() {
        AirlockConfig config = ConfigLoader.fromSystemEnvironment().load(configFile);
        try (AirlockRuntime airlock = AirlockRuntime.start(config)) {
            assertThatThrownBy(() -> airlock.client(APP_KEY).aboutSubject("x".repeat(257)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("subject:")
                    .hasMessageContaining("1 to 256 printable characters");
        }
    }

    @Test
    void readmeShowsThisExample() throws IOException {
        assertThat(readmeSnippet())
                .as("the java block under '## Embedding Airlock in a JVM application' in README.md must be the body"
                        + " between '// README: begin' and '// README: end' in " + THIS_SOURCE)
                .isEqualTo(exampleSource());
    }

    private static String readmeSnippet() throws IOException {
        String readme = Files.readString(README);
        int section = readme.indexOf("## Embedding Airlock in a JVM application");
        assertThat(section).as("README.md has the section").isNotNegative();
        int start = readme.indexOf("```java\n", section) + "```java\n".length();
        return readme.substring(start, readme.indexOf("```", start));
    }

    private static String exampleSource() throws IOException {
        String source = Files.readString(THIS_SOURCE);
        String begin = "    // README: begin\n";
        int start = source.indexOf(begin) + begin.length();
        String region = source.substring(start, source.indexOf("    // README: end\n"));
        StringBuilder dedented = new StringBuilder();
        region.lines()
                .forEach(line -> dedented.append(line.startsWith("    ") ? line.substring(4) : line)
                        .append('\n'));
        return dedented.toString();
    }
}
