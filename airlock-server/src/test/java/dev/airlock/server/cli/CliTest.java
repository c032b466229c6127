package dev.airlock.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.server.Airlock;
import dev.airlock.server.config.ConfigLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CliTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    private static Run airlock(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = AirlockCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path config() throws IOException {
        Path file = dir.resolve("airlock.yaml");
        Files.writeString(file, """
                server: {port: 0}
                store: {url: "jdbc:sqlite:%s"}
                """.formatted(dir.resolve("store.db")));
        return file;
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "serve",
                "keys",
                "keys create",
                "keys list",
                "keys revoke",
                "audit",
                "audit verify",
                "config",
                "config check"
            })
    void everyCommandHasHelp(String command) {
        String[] args = (command + " --help").strip().split(" ");

        Run run = airlock(args);

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("Usage: airlock");
    }

    @Test
    void keysCreate_printsAWorkingKeyOnce_andRevokeStopsItAtOnce() throws Exception {
        Path config = config();
        Run created = airlock(
                "keys", "create", "--tenant", "acme", "--role", "app", "--name", "loan svc", "-c", config.toString());
        assertThat(created.exit()).isZero();
        String key = created.out().strip();
        assertThat(key).startsWith("ak_");
        assertThat(created.err()).contains("shown once");

        try (Airlock airlock =
                Airlock.start(ConfigLoader.fromSystemEnvironment().load(config))) {
            assertThat(modelsStatus(airlock, key)).isEqualTo(200);

            Run listed = airlock("keys", "list", "-c", config.toString());
            assertThat(listed.out())
                    .contains("acme")
                    .contains("app")
                    .contains("loan svc")
                    .doesNotContain(key);
            String id = key.substring(3, key.indexOf('_', 3));

            assertThat(airlock("keys", "revoke", id, "-c", config.toString()).exit())
                    .isZero();
            assertThat(modelsStatus(airlock, key)).isEqualTo(401);
            assertThat(airlock("keys", "revoke", id, "-c", config.toString()).exit())
                    .isEqualTo(1);
        }
    }

    @Test
    void keysCreate_refusesAnUnknownRole_withTheAllowedOnes() throws Exception {
        Run run = airlock("keys", "create", "--tenant", "acme", "--role", "root", "-c", config().toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("role 'root' is not one of app|operator|reviewer|auditor|admin");
    }

    @Test
    void theFirstStart_bootstrapsAnAdminKey_andLaterStartsDoNot() throws Exception {
        var config = ConfigLoader.fromSystemEnvironment().load(config());
        String admin;
        try (Airlock first = Airlock.start(config)) {
            admin = first.bootstrappedAdminKey().orElseThrow();
            assertThat(modelsStatus(first, admin)).isEqualTo(200);
        }
        try (Airlock second = Airlock.start(config)) {
            assertThat(second.bootstrappedAdminKey()).isEmpty();
            assertThat(modelsStatus(second, admin)).isEqualTo(200);
        }
    }

    @Test
    void auditVerify_passesOnRecordedCalls_andNamesThePositionOfATamperedRecord() throws Exception {
        Path file = dir.resolve("audited.yaml");
        Path db = dir.resolve("audited.db");
        try (var upstream = dev.airlock.testkit.FakeOpenAi.start()) {
            Files.writeString(file, """
                    server: {port: 0}
                    store: {url: "jdbc:sqlite:%s"}
                    providers: {up: {kind: openai, base_url: "%s"}}
                    models: {chat: {kind: chat, provider: up}}
                    """.formatted(db, upstream.baseUrl()));
            try (Airlock airlock =
                    Airlock.start(ConfigLoader.fromSystemEnvironment().load(file))) {
                String key = airlock.bootstrappedAdminKey().orElseThrow();
                for (int i = 0; i < 3; i++) {
                    var request = HttpRequest.newBuilder(URI.create(airlock.baseUrl() + "/v1/chat/completions"))
                            .header("Authorization", "Bearer " + key)
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"n" + i
                                            + "\"}]}"))
                            .build();
                    assertThat(HttpClient.newHttpClient()
                                    .send(request, HttpResponse.BodyHandlers.ofString())
                                    .statusCode())
                            .isEqualTo(200);
                }
            }
        }

        Path exported = dir.resolve("decisions.jsonl");
        Run export = airlock(
                "audit", "export", "--outcome", "answered", "--out", exported.toString(), "-c", file.toString());
        assertThat(export.exit()).isZero();
        assertThat(Files.readAllLines(exported)).hasSize(3).allMatch(line -> line.contains("\"label\":\"answered\""));

        Run intact = airlock("audit", "verify", "-c", file.toString());
        assertThat(intact.exit()).isZero();
        assertThat(intact.out()).startsWith("intact: 3 records, head ");

        try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
                var statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE decisions SET output_tokens = 0 WHERE seq = 2");
        }
        Run broken = airlock("audit", "verify", "-c", file.toString());
        assertThat(broken.exit()).isEqualTo(1);
        assertThat(broken.err()).contains("BROKEN at position 2").contains("altered");
    }

    @Test
    void configCheck_reportsTheFirstErrorWithFileAndLine() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "models:\n  m:\n    kind: chat\n    provider: nowhere\n");

        Run run = airlock("config", "check", "-c", bad.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains(bad + ":4: models.m.provider: provider 'nowhere' is not declared");
    }

    @Test
    void theExampleRequest_isACurlLineForTheFirstModelWithAnExample() {
        var config = new ConfigLoader(name -> null).parse(dir.resolve("a.yaml"), """
                providers: {e: {kind: minilm-embeddings}}
                models:
                  embed: {kind: embedding, provider: e, example: {model: embed, input: "it's here"}}
                """);

        String curl = ServeCommand.exampleRequest(config, "http://127.0.0.1:8080", "ak_x_y");

        assertThat(curl)
                .isEqualTo("curl -s http://127.0.0.1:8080/v1/embeddings -H 'Authorization: Bearer ak_x_y' -H"
                        + " 'Content-Type: application/json' -d '{\"model\":\"embed\",\"input\":\"it'\\''s here\"}'");
    }

    private static int modelsStatus(Airlock airlock, String key) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(airlock.baseUrl() + "/v1/models"))
                .header("Authorization", "Bearer " + key)
                .build();
        return HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }
}
