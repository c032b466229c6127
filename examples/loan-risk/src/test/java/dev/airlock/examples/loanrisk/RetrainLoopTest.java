package dev.airlock.examples.loanrisk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.models.OnnxTabularModel;
import dev.airlock.provider.PredictRequest;
import dev.airlock.server.Airlock;
import dev.airlock.server.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole retraining loop of this example on a real node, as {@code airlock.yaml} declares it: predictions whose
 * features the node keeps, labels that arrive later, {@code POST /v1/admin/models/loan-risk/retrain} runs {@code
 * retrain.sh} (the example's own trainer) on the extract, and the candidate it trains is registered (a declaration
 * with its ONNX model, not promoted), the run recorded and audited. The candidate loads and scores as any version.
 */
class RetrainLoopTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int APPLICATIONS = 60;

    @TempDir
    Path dir;

    @Test
    @Timeout(90) // well under a minute on a quiet machine; the bound is for a shared, busy one
    void retraining_runsTheExamplesTrainer_andRegistersItsCandidate_notPromoted() throws Exception {
        Map<String, String> env = Map.of(
                "AIRLOCK_PORT",
                "0",
                "AIRLOCK_STORE_URL",
                "jdbc:sqlite:" + dir.resolve("airlock.db"),
                "AIRLOCK_RETRAIN_DIR",
                dir.resolve("retraining").toString(),
                "AIRLOCK_RETRAIN_CLASSPATH",
                classPath());
        var config = new ConfigLoader(env::get).load(Path.of("airlock.yaml"));
        try (Airlock node = Airlock.start(config)) {
            String admin = node.bootstrappedAdminKey().orElseThrow();
            String base = node.baseUrl();
            StringBuilder labels = new StringBuilder("decision_id,label\n");
            for (Map<String, String> row : applications()) {
                Map<String, Object> features = new LinkedHashMap<>();
                row.forEach((k, v) -> {
                    if (!k.equals(ApplicationRows.ID) && !k.equals(ApplicationRows.LABEL)) {
                        features.put(k, v.matches("-?[0-9.]+") ? Double.valueOf(v) : v);
                    }
                });
                var predicted = post(
                        base,
                        "/v1/models/loan-risk/predict",
                        admin,
                        JSON.writeValueAsString(Map.of("features", features)));
                assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
                String id =
                        predicted.headers().firstValue("x-airlock-decision-id").orElseThrow();
                labels.append(id)
                        .append(',')
                        .append(row.get(ApplicationRows.LABEL).equals("1") ? "default" : "repay")
                        .append('\n');
            }
            var uploaded = send(HttpRequest.newBuilder(URI.create(base + "/v1/labels?model=loan-risk"))
                    .header("Authorization", "Bearer " + admin)
                    .header("Content-Type", "text/csv")
                    .POST(HttpRequest.BodyPublishers.ofString(labels.toString())));
            assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);

            var retrained = post(base, "/v1/admin/models/loan-risk/retrain", admin, "");

            // 202: the run goes on on the node; its Location is polled until it has ended
            assertThat(retrained.statusCode()).as(retrained.body()).isEqualTo(202);
            String location = retrained.headers().firstValue("Location").orElseThrow();
            JsonNode[] polled = new JsonNode[1];
            await().atMost(Duration.ofSeconds(80))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        polled[0] = JSON.readTree(get(base, location, admin).body());
                        return !polled[0].path("status").asText().equals("running");
                    });
            JsonNode run = polled[0];
            assertThat(run.path("status").asText()).as(run.toPrettyString()).isEqualTo("succeeded");
            assertThat(run.path("trigger").asText()).isEqualTo("command");
            assertThat(run.path("extract_rows").asInt()).isEqualTo(APPLICATIONS);
            assertThat(run.path("output_tail").asText()).contains("labelled rows");
            JsonNode candidate = run.path("candidate");
            String version = candidate.path("version").asText();
            assertThat(version).startsWith("1.0.0-rt");
            assertThat(candidate.at("/metrics/train_rows").asInt()).isEqualTo(APPLICATIONS - APPLICATIONS / 5);

            // the candidate is a model like any other: it loads from its schema and scores
            Path onnx = Path.of(candidate.path("artifact").asText());
            try (OnnxTabularModel model = OnnxTabularModel.load("loan-risk", onnx)) {
                Map<String, Object> applicant =
                        new LinkedHashMap<>(applications().getFirst());
                applicant.remove(ApplicationRows.ID);
                applicant.remove(ApplicationRows.LABEL);
                var p = model.predict(new PredictRequest("loan-risk", applicant));
                assertThat(p.probabilities().get("default")).isBetween(0.0, 1.0);
            }
            // registered as a declaration of the version beside its provider; production is unchanged
            String declaration =
                    Files.readString(Path.of(candidate.path("registration").asText()));
            assertThat(declaration)
                    .contains("kind: onnx-tabular")
                    .contains("path: \"" + onnx + "\"")
                    .contains("\"" + version + "\":")
                    .contains("sha256: " + candidate.path("sha256").asText());
            JsonNode deployment =
                    JSON.readTree(get(base, "/v1/deployments/loan-risk", admin).body());
            assertThat(deployment.path("production").asText()).isEqualTo("1.0.0");

            JsonNode runs = JSON.readTree(
                    get(base, "/v1/admin/models/loan-risk/retraining", admin).body());
            assertThat(runs.at("/data/0/id").asText()).isEqualTo(run.path("id").asText());
            List<String> audited = new ArrayList<>();
            node.runtime().store().auditChain().searchEvents(null, null, null, e -> audited.add(e.action()));
            assertThat(audited)
                    .containsSubsequence("retrain.started", "retrain.succeeded", "retrain.candidate_registered");
        }
    }

    /** Clean applications with known outcomes: the holdout rows of the committed training data. */
    private static List<Map<String, String>> applications() {
        List<Map<String, String>> rows = Csv.read(Path.of(LoanRiskBuild.TRAIN_FILE));
        return rows.subList(rows.size() - APPLICATIONS, rows.size());
    }

    /** The trainer's class path: this test's own (Surefire's, which holds the example's classes). */
    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private static HttpResponse<String> post(String base, String path, String key, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> get(String base, String path, String key) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + key)
                .GET());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
