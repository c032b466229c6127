package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.airlock.server.config.ConfigLoader;
import dev.airlock.time.FakeTime;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drift, live accuracy and fairness as the owner meets them: a loan-risk model whose reference is the first 1,000 rows
 * of its training data, thresholds {@code drift: 0.2} and {@code accuracy: 0.65}, and a webhook to its owner. Drifted
 * traffic fires one drift alert to the owner; the next training rows, as they are, fire nothing; labels that show the
 * model wrong fire an accuracy alert; predictions that decline one region's applicants fire a fairness alert. The gauges and the readiness scorecard say the same. Time is fake; evaluation
 * runs when the test calls {@code tick()}.
 */
class ModelAlertsTest {
    private static final Path TRAIN = Path.of("../examples/loan-risk/data/train.csv");
    private static final String ADMIN = "ak_ops_ops-secret-0123456789abcdef";
    private static final String APP = "ak_app_app-secret-0123456789abcdef";

    @TempDir
    Path dir;

    final FakeTime time = new FakeTime();
    final List<JsonNode> hooks = new CopyOnWriteArrayList<>();
    HttpServer receiver;
    Airlock node;
    List<String> rows;
    String[] header;

    @BeforeEach
    void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            hooks.add(TestNode.parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try (Stream<String> lines = Files.lines(TRAIN)) {
            rows = lines.limit(1401).toList();
        }
        header = rows.getFirst().split(",");
        Files.writeString(dir.resolve("reference.csv"), String.join("\n", rows.subList(0, 1001)));
        String yaml = """
                server: {port: 0}
                store: {url: "jdbc:sqlite:%s"}
                audit: {signing_key: "%s"}
                providers:
                  loan: {kind: onnx-tabular, path: "%s"}
                models:
                  loan-risk:
                    kind: predict
                    provider: loan
                    owner: credit-risk-team
                    monitoring: {reference: reference.csv}
                    operations:
                      contact: credit-oncall@example.com
                      escalation: [head-of-credit@example.com]
                      thresholds: {latency_p99_ms: 5000, error_rate: 0.5, drift: 0.2, accuracy: 0.65, cost_per_day_usd: 1}
                      outcomes: {positive_class: default}
                      fairness: {attribute: region, favourable_class: repay, min_disparate_impact: 0.5}
                keys:
                  - {id: ops, tenant: default, role: admin, secret: "ops-secret-0123456789abcdef"}
                  - {id: app, tenant: default, role: app, secret: "app-secret-0123456789abcdef"}
                alerts:
                  evaluate_every: 0s
                  window: 1h
                  for: 1m
                  min_calls: 20
                  contact: [platform@example.com]
                  channels:
                    hook: {kind: webhook, url: "http://127.0.0.1:%d/hook"}
                """.formatted(
                        dir.resolve("airlock.db"),
                        dir.resolve("signing.key"),
                        TestNode.LOAN_MODEL,
                        receiver.getAddress().getPort());
        node = Airlock.start(new ConfigLoader(n -> null).parse(dir.resolve("airlock.yaml"), yaml), time.clock());
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        receiver.stop(0);
    }

    @Test
    void driftedTraffic_firesOneDriftAlertToTheOwner_andTheGaugesAndGateSaySo() {
        // income tripled, a purpose never seen in training, debt-to-income missing: the predictions move with them
        predict(rows.subList(1001, 1301), features -> {
            features.put("annual_income", ((Number) features.get("annual_income")).doubleValue() * 3);
            if (features.hashCode() % 3 == 0) {
                features.put("purpose", "wedding");
            }
            features.remove("debt_to_income");
            return features;
        });

        evaluate();
        time.advance(Duration.ofMinutes(1));
        evaluate();
        evaluate();

        List<JsonNode> drift = firing("drift");
        assertThat(drift).as(hooks.toString()).singleElement().satisfies(hook -> {
            assertThat(hook.path("alert").path("model").asText()).isEqualTo("loan-risk");
            assertThat(hook.path("alert").path("version").asText()).isEqualTo("1.0.0");
            assertThat(hook.path("alert").path("value").asDouble()).isGreaterThan(0.2);
            assertThat(hook.path("recipients").get(0).asText()).isEqualTo("credit-oncall@example.com");
        });
        String metrics = scrape();
        assertThat(gauge(metrics, "airlock_drift_score{model=\"loan-risk\",version=\"1.0.0\"}"))
                .isGreaterThan(0.2);
        assertThat(gauge(metrics, "airlock_alerts_firing{model=\"loan-risk\",rule=\"drift\"}"))
                .isEqualTo(1.0);
        JsonNode thresholds = thresholdsCheck("1.0.0");
        assertThat(thresholds.path("passed").asBoolean()).isFalse();
        assertThat(thresholds.path("detail").asText())
                .startsWith("drift above its threshold on recent traffic: live drift of version 1.0.0")
                .contains("annual_income");
    }

    @Test
    void undriftedTraffic_firesNothing_andTheGatePassesWithTheFigures() {
        // rows of the reference itself: the same population (held-out rows at 400 calls sit at 0.17 to 0.25, since KS
        // at
        // p < 0.05 on a dozen columns flags one or two by chance, and predicted_class differs from the label's base
        // rate)
        predict(rows.subList(1, 401), UnaryOperator.identity());

        evaluate();
        time.advance(Duration.ofMinutes(1));
        evaluate();

        assertThat(TestNode.json(TestHttp.get(node.baseUrl(), "/v1/alerts", ADMIN))
                        .path("data"))
                .isEmpty();
        assertThat(hooks).isEmpty();
        assertThat(gauge(scrape(), "airlock_drift_score{model=\"loan-risk\",version=\"1.0.0\"}"))
                .isLessThanOrEqualTo(0.2);
        JsonNode thresholds = thresholdsCheck("1.0.0");
        assertThat(thresholds.path("passed").asBoolean())
                .as(thresholds.toString())
                .isTrue();
        assertThat(thresholds.path("detail").asText())
                .contains("live drift of version 1.0.0")
                .contains("400 calls");
    }

    @Test
    void beforeAnyTraffic_theGateSaysTheReferenceExists_andNoLiveTrafficYet() {
        assertThat(thresholdsCheck("1.0.0").path("detail").asText())
                .endsWith("live drift: reference profile present, no live traffic yet on version 1.0.0 (last 24h)");
        assertThat(thresholdsCheck(null).path("detail").asText()).contains("no live traffic yet on version 1.0.0");
    }

    @Test
    void labelsShowingTheModelWrong_fireAnAccuracyAlert() {
        List<String> ids = new ArrayList<>();
        List<String> predicted = new ArrayList<>();
        for (String row : rows.subList(1001, 1041)) {
            var response = TestHttp.post(
                    node.baseUrl(),
                    "/v1/models/loan-risk/predict",
                    APP,
                    body(DriftApiTest.features(header, cells(row))));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            ids.add(response.headers().firstValue("x-airlock-decision-id").orElseThrow());
            predicted.add(TestNode.json(response).path("prediction").asText());
        }
        StringBuilder csv = new StringBuilder("decision_id,label\n");
        for (int i = 0; i < ids.size(); i++) {
            // three in four the other way: live accuracy 0.25
            String label = i % 4 == 0 ? predicted.get(i) : predicted.get(i).equals("default") ? "repay" : "default";
            csv.append(ids.get(i)).append(',').append(label).append('\n');
        }
        var upload = TestHttp.send(TestHttp.request(node.baseUrl(), "/v1/labels?model=loan-risk", APP)
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(csv.toString()))
                .build());
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(200);
        time.advance(Duration.ofSeconds(1));

        evaluate();
        time.advance(Duration.ofMinutes(1));
        evaluate();

        assertThat(firing("accuracy")).singleElement().satisfies(hook -> {
            assertThat(hook.path("alert").path("value").asDouble()).isEqualTo(0.25);
            assertThat(hook.path("alert").path("summary").asText()).isEqualTo("loan-risk 1.0.0: accuracy 0.25 < 0.65");
        });
        assertThat(gauge(scrape(), "airlock_live_accuracy{model=\"loan-risk\",version=\"1.0.0\"}"))
                .isEqualTo(0.25);
    }

    @Test
    void predictionsFavouringOneRegion_fireAFairnessAlert() {
        // applicants from the north with little income and much debt: the model declines them, and only them
        predict(rows.subList(1001, 1101), features -> {
            if (features.hashCode() % 2 == 0) {
                features.put("region", "north");
                features.put("annual_income", 9000.0);
                features.put("debt_to_income", 0.7);
                features.put("delinquencies_2y", 4.0);
            } else {
                features.put("region", "south");
            }
            return features;
        });

        evaluate();
        time.advance(Duration.ofMinutes(1));
        evaluate();

        assertThat(firing("fairness_disparate_impact")).singleElement().satisfies(hook -> {
            assertThat(hook.path("alert").path("value").asDouble()).isLessThan(0.5);
            assertThat(hook.path("recipients").get(0).asText()).isEqualTo("credit-oncall@example.com");
        });
        assertThat(gauge(scrape(), "airlock_fairness_disparate_impact{model=\"loan-risk\",version=\"1.0.0\"}"))
                .isLessThan(0.5);
    }

    private void evaluate() {
        node.runtime().alerts().tick();
    }

    private List<JsonNode> firing(String rule) {
        return hooks.stream()
                .filter(h -> h.path("stage").asText().equals("firing"))
                .filter(h -> h.path("alert").path("rule").asText().equals(rule))
                .toList();
    }

    private void predict(List<String> csvRows, UnaryOperator<Map<String, Object>> change) {
        for (String row : csvRows) {
            var features = change.apply(DriftApiTest.features(header, cells(row)));
            var response = TestHttp.post(node.baseUrl(), "/v1/models/loan-risk/predict", APP, body(features));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
        time.advance(Duration.ofSeconds(1));
    }

    private static String[] cells(String row) {
        return row.split(",", -1);
    }

    private static String body(Map<String, Object> features) {
        try {
            return TestNode.JSON.writeValueAsString(Map.of("features", features));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode thresholdsCheck(String version) {
        var response = TestHttp.get(
                node.baseUrl(), "/v1/readiness/loan-risk" + (version == null ? "" : "?version=" + version), ADMIN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        for (JsonNode check : TestNode.json(response).path("checks")) {
            if (check.path("check").asText().equals("thresholds")) {
                return check;
            }
        }
        throw new AssertionError("no thresholds check in " + response.body());
    }

    private String scrape() {
        return TestHttp.send(
                        TestHttp.request(node.baseUrl(), "/metrics", null).GET().build())
                .body();
    }

    private static double gauge(String metrics, String series) {
        return metrics.lines()
                .filter(l -> l.startsWith(series + " "))
                .map(l -> Double.parseDouble(l.substring(series.length() + 1).strip()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + series + " in\n" + metrics));
    }
}
