package dev.airlock.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final Path FILE = Path.of("conf/airlock.yaml");
    private static final String VALID = """
            server:
              port: ${PORT:-9090}
            providers:
              openai:
                kind: openai
                base_url: ${OPENAI_BASE_URL}
                api_key: ${OPENAI_API_KEY:-}
                timeout: 30s
            models:
              assistant:
                kind: chat
                provider: openai
                upstream_model: gpt-4o-mini
            """;

    private static ConfigLoader loader(Map<String, String> env) {
        return new ConfigLoader(env::get);
    }

    @Test
    void aRelativeSqliteStore_resolvesAgainstTheConfigurationsFolder_andOtherStoresStayAsWritten(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("conf/airlock.yaml");
        Files.createDirectories(file.getParent());
        Path folder = file.toAbsolutePath().getParent();

        assertThat(storeOf(file, "")).isEqualTo("jdbc:sqlite:" + folder.resolve(".airlock/airlock.db"));
        assertThat(storeOf(file, "jdbc:sqlite:data/a.db")).isEqualTo("jdbc:sqlite:" + folder.resolve("data/a.db"));
        assertThat(storeOf(file, "jdbc:sqlite:../shared/a.db?busy_timeout=5000"))
                .isEqualTo("jdbc:sqlite:" + dir.toAbsolutePath().resolve("shared/a.db") + "?busy_timeout=5000");
        assertThat(storeOf(file, "jdbc:sqlite:file:a.db?cache=shared"))
                .isEqualTo("jdbc:sqlite:file:" + folder.resolve("a.db") + "?cache=shared");
        assertThat(storeOf(file, "jdbc:sqlite:/var/lib/airlock/a.db")).isEqualTo("jdbc:sqlite:/var/lib/airlock/a.db");
        assertThat(storeOf(file, "jdbc:postgresql://db:5432/airlock")).isEqualTo("jdbc:postgresql://db:5432/airlock");
        Path many = Files.createDirectories(dir.resolve("many"));
        assertThat(storeOf(many, "jdbc:sqlite:a.db"))
                .as("a directory of files: against the directory")
                .isEqualTo("jdbc:sqlite:" + many.toAbsolutePath().resolve("a.db"));
    }

    private static String storeOf(Path path, String url) throws Exception {
        String yaml = url.isEmpty() ? "server: {port: 0}\n" : "store: {url: \"" + url + "\"}\n";
        if (Files.isDirectory(path)) {
            Files.writeString(path.resolve("store.yaml"), yaml);
        } else {
            Files.writeString(path, yaml);
        }
        return loader(Map.of()).load(path).store().url();
    }

    @Test
    void aDirectory_isOneConfigurationSpreadOverFiles_andErrorsNameTheFileTheyAreIn(@TempDir Path dir)
            throws Exception {
        Files.writeString(dir.resolve("providers.yaml"), """
                providers:
                  openai: {kind: openai, base_url: "https://api.openai.com/v1"}
                """);
        Files.createDirectories(dir.resolve("models"));
        Files.writeString(dir.resolve("models/assistant.yaml"), """
                models:
                  assistant: {kind: chat, provider: openai}
                keys:
                  - {id: app1, tenant: acme, role: app, secret: "app-secret-0123456789abcdef"}
                """);
        Files.writeString(dir.resolve("models/summary.yaml"), """
                # the summariser
                models:
                  summary:
                    kind: chat
                    provider: azure
                """);

        assertThatThrownBy(() -> loader(Map.of()).load(dir))
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("models/summary.yaml") + ":5: models.summary.provider: provider 'azure' is"
                        + " not declared; declared: [openai]");

        Files.writeString(dir.resolve("models/summary.yaml"), "models:\n  summary: {kind: chat, provider: openai}\n");
        AirlockConfig config = loader(Map.of()).load(dir);
        assertThat(config.models()).containsOnlyKeys("assistant", "summary");
        assertThat(config.keys()).hasSize(1);
        assertThat(config.resolve("model.onnx")).isEqualTo(dir.toAbsolutePath().resolve("model.onnx"));

        Files.writeString(dir.resolve("models/twice.yaml"), "models:\n  assistant: {kind: chat, provider: openai}\n");
        assertThatThrownBy(() -> loader(Map.of()).load(dir))
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("models/twice.yaml") + ":2: models.assistant is declared again; it is first"
                        + " declared at " + dir.resolve("models/assistant.yaml") + ":2");
    }

    @Test
    void aPlan_namesWhatIsCreatedChangedAndRemoved_andTheSameConfigurationPlansNothing() throws Exception {
        var yaml = new ObjectMapper(new YAMLFactory());
        var before = yaml.readTree("""
                providers: {openai: {kind: openai, timeout: 30s}}
                models: {a: {kind: chat, provider: openai}, b: {kind: chat, provider: openai}}
                keys: [{id: app1, role: app}]
                """);
        var after = yaml.readTree("""
                providers: {openai: {kind: openai, timeout: 60s}}
                models: {a: {kind: chat, provider: openai}, c: {kind: chat, provider: openai}}
                keys: [{id: app1, role: app}]
                server: {port: 9000}
                """);

        assertThat(ConfigPlan.between(before, after).changes())
                .extracting(Object::toString)
                .containsExactly("~ providers.openai (timeout)", "+ models.c", "+ server", "- models.b");
        assertThat(ConfigPlan.between(after, after).isEmpty()).isTrue();
        assertThat(ConfigPlan.between(null, before).count(ConfigPlan.Action.CREATE))
                .isEqualTo(4);
    }

    @Test
    void substitutesEnvironmentVariables_withDefaults() {
        AirlockConfig config =
                loader(Map.of("OPENAI_BASE_URL", "https://api.openai.com/v1")).parse(FILE, VALID);

        assertThat(config.server().port()).isEqualTo(9090);
        var openAi = (ProviderConfig.OpenAiProvider) config.providers().get("openai");
        assertThat(openAi.baseUrl()).isEqualTo("https://api.openai.com/v1");
        assertThat(openAi.apiKey()).isNullOrEmpty();
        assertThat(openAi.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(openAi.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.models().get("assistant").upstreamModel()).isEqualTo("gpt-4o-mini");
        assertThat(config.store().url()).startsWith("jdbc:sqlite:");
    }

    @Test
    void environmentOverridesTheDefault() {
        AirlockConfig config = loader(Map.of("OPENAI_BASE_URL", "http://127.0.0.1:1/v1", "PORT", "7000"))
                .parse(FILE, VALID);

        assertThat(config.server().port()).isEqualTo(7000);
    }

    @Test
    void aMissingVariable_namesFileLineAndVariable() {
        assertThatThrownBy(() -> loader(Map.of()).parse(FILE, VALID))
                .isInstanceOf(ConfigException.class)
                .hasMessage(FILE + ":6: environment variable OPENAI_BASE_URL is not set; set it, or write"
                        + " ${OPENAI_BASE_URL:-default}");
    }

    @Test
    void anUnknownField_namesFileLineAndTheExpectedFields() {
        String yaml = "server:\n  port: 80\n  prot: 81\n";

        assertThatThrownBy(() -> loader(Map.of()).parse(FILE, yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(FILE + ":3: server: unknown field 'prot'; expected one of:")
                .hasMessageContaining("port");
    }

    @Test
    void aValueOfTheWrongType_namesTheField() {
        assertThatThrownBy(() -> loader(Map.of()).parse(FILE, "server:\n  port: eighty\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(FILE + ":2: server.port: 'eighty' is not a whole number");
    }

    @Test
    void aModelNamingAnUndeclaredProvider_pointsAtItsLine() {
        String yaml = VALID.replace("provider: openai", "provider: azure");

        assertThatThrownBy(() ->
                        loader(Map.of("OPENAI_BASE_URL", "https://x.test/v1")).parse(FILE, yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        FILE + ":12: models.assistant.provider: provider 'azure' is not declared; declared: [openai]");
    }

    @Test
    void aProviderThatCannotServeTheModelsKind_isRefused() {
        String yaml = VALID.replace("kind: chat", "kind: predict");

        assertThatThrownBy(() ->
                        loader(Map.of("OPENAI_BASE_URL", "https://x.test/v1")).parse(FILE, yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("models.assistant: provider 'openai' (openai) cannot serve predict models");
    }

    @Test
    void anAttemptTimeout_isRead_andAZeroOneIsRefusedWithItsLine() {
        var ok = Map.of("OPENAI_BASE_URL", "https://x.test/v1");
        String bounded =
                VALID.replace("upstream_model: gpt-4o-mini", "upstream_model: gpt-4o-mini\n    attempt_timeout: 5s");

        assertThat(loader(ok).parse(FILE, bounded).models().get("assistant").attemptTimeout())
                .isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> loader(ok).parse(FILE, bounded.replace("attempt_timeout: 5s", "attempt_timeout: 0s")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(FILE + ":14: models.assistant.attempt_timeout: '0s' must be longer than zero; expected"
                        + " e.g. 10s");
    }

    @Test
    void badUrlsDurationsAndKinds_areNamed() {
        var env = Map.of("OPENAI_BASE_URL", "not a url");
        assertThatThrownBy(() -> loader(env).parse(FILE, VALID))
                .hasMessageStartingWith(FILE + ":6: providers.openai.base_url: 'not a url' is not an http(s) URL");

        var ok = Map.of("OPENAI_BASE_URL", "https://x.test/v1");
        assertThatThrownBy(() -> loader(ok).parse(FILE, VALID.replace("30s", "soon")))
                .hasMessage(FILE + ":8: providers.openai.timeout: 'soon' is not a duration; expected e.g. 250ms, 30s,"
                        + " 5m, 1h or 90d");
        assertThatThrownBy(() -> loader(ok).parse(FILE, VALID.replace("kind: openai", "kind: cohere")))
                .hasMessageStartingWith(FILE + ":5: providers.openai.kind: 'cohere' is not one of");
    }

    @Test
    void bootstrapKeys_needARoleWeKnowAndALongSecret() {
        String yaml = "keys:\n  - id: app\n    tenant: acme\n    role: superuser\n    secret: short\n";

        assertThatThrownBy(() -> loader(Map.of()).parse(FILE, yaml))
                .hasMessage(
                        FILE + ":4: keys[0].role: role 'superuser' is not one of app|operator|reviewer|auditor|admin");
    }

    @Test
    void anEmptyFile_isAValidConfigWithDefaults() {
        AirlockConfig config = loader(Map.of()).parse(FILE, "");

        assertThat(config.server().host()).isEqualTo("127.0.0.1");
        assertThat(config.server().port()).isEqualTo(8080);
        assertThat(config.models()).isEmpty();
    }

    @Test
    void invalidYaml_namesTheLine() {
        assertThatThrownBy(() -> loader(Map.of()).parse(FILE, "server:\n  port: [1,\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(FILE + ":");
    }

    @Test
    void relativePaths_resolveAgainstTheConfigFilesFolder() {
        AirlockConfig config = loader(Map.of()).parse(FILE, "");

        assertThat(config.resolve("model/x.onnx"))
                .isEqualTo(FILE.toAbsolutePath().getParent().resolve("model/x.onnx"));
    }
}
