package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official {@code openai} npm client, unchanged but for its base URL, against a running Airlock: chat,
 * streaming with usage, embeddings (the client asks for base64 by default), the Responses API (create, stream,
 * previous_response_id, retrieve, delete), legacy completions, and errors raised as the client's own exception types.
 */
class OpenAiClientCompatibilityTest {
    private static final Path COMPAT = Path.of("../compat").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void theOfficialOpenAiNodeClient_worksUnchanged() throws Exception {
        boolean installed = Files.isDirectory(COMPAT.resolve("node_modules/openai"));
        if (System.getenv("CI") != null) {
            assertThat(installed)
                    .as("CI must install the openai client: (cd compat && npm ci)")
                    .isTrue();
        }
        assumeTrue(installed, "the openai npm client is not installed; run: (cd compat && npm ci)");

        try (TestNode node = TestNode.start(dir)) {
            var builder = new ProcessBuilder("node", "openai-client.mjs")
                    .directory(COMPAT.toFile())
                    .redirectError(dir.resolve("node.err").toFile());
            builder.environment().put("AIRLOCK_BASE_URL", node.url("/v1"));
            builder.environment().put("AIRLOCK_KEY", TestNode.APP_KEY);
            builder.environment().put("CHAT_MODEL", "assistant");
            builder.environment().put("EMBEDDING_MODEL", "embed");
            builder.environment().put("RESPONSES_MODEL", "kept-assistant");
            Process process = builder.start();
            boolean ended = false;
            String out;
            try {
                out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                ended = process.waitFor(60, TimeUnit.SECONDS);
            } finally {
                if (!ended) {
                    process.destroyForcibly();
                }
            }
            String err = Files.readString(dir.resolve("node.err"));
            assertThat(process.exitValue()).as("node said: " + out + err).isZero();
            JsonNode seen = TestNode.parse(out.strip());
            assertThat(seen.path("chat").path("content").asText())
                    .isEqualTo("echo: Is this loan application complete?");
            assertThat(seen.path("stream").path("content").asText()).isEqualTo("echo: Stream the answer please");
            assertThat(seen.path("stream").path("usage").path("prompt_tokens").asInt())
                    .isEqualTo(4);
            assertThat(seen.path("embeddings").path("dimensions").asInt()).isEqualTo(384);
            assertThat(seen.path("notFound").path("status").asInt()).isEqualTo(404);
            assertThat(seen.path("notFound").path("code").asText()).isEqualTo("model_not_found");
            assertThat(seen.path("unauthorized").path("status").asInt()).isEqualTo(401);
            JsonNode responses = seen.path("responses");
            assertThat(responses.path("text").asText()).isEqualTo("echo: My name is Ada.");
            assertThat(responses.path("continued").path("previous").asText()).startsWith("resp_");
            assertThat(responses.path("continued").path("text").asText()).isEqualTo("echo: What is my name?");
            assertThat(responses.path("stream").path("text").asText()).isEqualTo("echo: Stream it");
            assertThat(responses.path("stream").path("first").asText()).isEqualTo("response.created");
            assertThat(responses.path("stream").path("last").asText()).isEqualTo("response.completed");
            assertThat(responses.path("retrieved").asBoolean()).isTrue();
            assertThat(responses.path("afterDelete").path("status").asInt()).isEqualTo(404);
            assertThat(seen.path("completions").path("object").asText()).isEqualTo("text_completion");
            assertThat(seen.path("completions").path("text").asText()).isEqualTo("echo: Say hello");
            assertThat(seen.path("models").toString()).contains("assistant").contains("embed");
            // x-request-id, which the client reads into _request_id (answers) and requestID (errors)
            String chatRequestId = seen.path("chat").path("requestId").asText();
            assertThat(TestHttp.get(node.url(""), "/v1/decisions/" + chatRequestId, TestNode.AUDITOR_KEY)
                            .statusCode())
                    .as("the chat's request id is its Decision's id")
                    .isEqualTo(200);
            assertThat(seen.path("notFound").path("requestId").asText()).isNotEmpty();
            assertThat(seen.path("unauthorized").path("requestId").asText()).startsWith("req_");
        }
    }
}
