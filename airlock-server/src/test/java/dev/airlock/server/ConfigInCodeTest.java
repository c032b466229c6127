package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.decision.Role;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.config.ModelConfig;
import dev.airlock.server.config.ProviderConfig;
import dev.airlock.testkit.FakeOpenAi;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node started on a configuration built in code, with no YAML: the embedded way. */
class ConfigInCodeTest {
    @Test
    void aNodeStartsOnAConfigurationBuiltInCode_andAnswers(@TempDir Path dir) {
        try (FakeOpenAi upstream = FakeOpenAi.start()) {
            AirlockConfig config = AirlockConfig.builder()
                    .server(new AirlockConfig.Server("127.0.0.1", 0, 1_048_576, null))
                    .store(new AirlockConfig.Store("jdbc:sqlite:" + dir.resolve("airlock.db"), null, null))
                    .audit(AirlockConfig.Audit.DEFAULTS.withSigningKey(
                            dir.resolve("signing.key").toString()))
                    .provider("up", ProviderConfig.openAi(upstream.baseUrl()))
                    .model("assistant", ModelConfig.of(Map.of("kind", "chat", "provider", "up")))
                    .keys(List.of(new AirlockConfig.KeyConfig(
                            "app1", "acme", Role.APP, "app", "app-secret-0123456789abcdef")))
                    .build();

            try (Airlock node = Airlock.start(config)) {
                var answer = TestHttp.post(
                        node.baseUrl(),
                        "/v1/chat/completions",
                        TestNode.APP_KEY,
                        "{\"model\":\"assistant\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

                assertThat(answer.statusCode()).isEqualTo(200);
            }
        }
    }
}
