package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.server.config.ConfigLoader;
import dev.airlock.store.TestDatabase;
import dev.airlock.store.TestPostgres;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ground truth over real HTTP with the loan-risk model: predictions are kept (with the monitored region, whatever the
 * retention), labels and corrections arrive later, and live accuracy, fairness and ROI read back exactly as the labels
 * say. On SQLite and on PostgreSQL.
 */
class OutcomesApiTest {
    private static final String APP = "ak_app1_app-secret-0123456789abcdef";
    private static final String AUDITOR = "ak_audit1_audit-secret-0123456789abcdef";
    private static final String OTHER = "ak_app2_other-secret-0123456789abcdef";

    @TempDir
    Path dir;

    private Airlock start(String url, String user, String password) {
        String yaml =
                """
                server: {host: 127.0.0.1, port: 0}
                bootstrap: {admin_tenant: acme}
                store: {url: "%s", user: "%s", password: "%s"}
                providers:
                  loan: {kind: onnx-tabular, path: "%s"}
                models:
                  loan-risk:
                    kind: predict
                    provider: loan
                    retention: {content: hash}
                    operations:
                      evaluation: {poc_accuracy: 0.85, production_discount: 0.2, kpi_baseline: 0.70, value_per_correct_usd: 40, monthly_volume: 10000}
                      outcomes: {positive_class: default, monitor_only: [channel]}
                      fairness: {attribute: region, favourable_class: repay, min_disparate_impact: 0.8, max_parity_difference: 0.1}
                keys:
                  - {id: app1, tenant: acme, role: app, secret: "app-secret-0123456789abcdef"}
                  - {id: audit1, tenant: acme, role: auditor, secret: "audit-secret-0123456789abcdef"}
                  - {id: app2, tenant: globex, role: app, secret: "other-secret-0123456789abcdef"}
                """.formatted(url, user == null ? "" : user, password == null ? "" : password, TestNode.LOAN_MODEL);
        return Airlock.start(new ConfigLoader(name -> null).parse(dir.resolve("airlock.yaml"), yaml));
    }

    private static Map<String, Object> applicant(double debtToIncome, String region) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("annual_income", 38000);
        f.put("debt_to_income", debtToIncome);
        f.put("employment_years", 1);
        f.put("loan_amount", 22000);
        f.put("loan_term_months", 60);
        f.put("credit_history_years", 3);
        f.put("delinquencies_2y", debtToIncome > 0.5 ? 4 : 0);
        f.put("open_credit_lines", 9);
        f.put("home_ownership", "rent");
        f.put("purpose", "small_business");
        f.put("region", region);
        f.put("channel", "branch"); // monitor only: the model has no such feature and would refuse it
        return f;
    }

    @Test
    void onSqlite_predictionsLabelsAndAccuracy_readBackOverHttp() throws Exception {
        try (Airlock node = start("jdbc:sqlite:" + dir.resolve("airlock.db"), null, null)) {
            predictLabelAndRead(node);
        }
    }

    @Test
    void onPostgres_predictionsLabelsAndAccuracy_readBackOverHttp() throws Exception {
        try (TestDatabase database = TestPostgres.fromEnvironment().freshSchema();
                Airlock node = start(database.url(), database.user(), database.password())) {
            predictLabelAndRead(node);
        }
    }

    @Test
    void aJsonLinesUpload_refusesEachBadLineInItsPlace_withItsLineNumberAndWhy_andKeepsTheGoodOnes() throws Exception {
        try (Airlock node = start("jdbc:sqlite:" + dir.resolve("airlock.db"), null, null)) {
            String base = node.baseUrl();
            List<String> ids = new ArrayList<>();
            for (double ratio : new double[] {0.05, 0.1}) {
                var response = TestHttp.post(
                        base,
                        "/v1/models/loan-risk/predict",
                        APP,
                        TestNode.JSON.writeValueAsString(Map.of("features", applicant(ratio, "north"))));
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                ids.add(response.headers().firstValue("x-airlock-decision-id").orElseThrow());
            }
            String body = "{\"decision_id\": \"" + ids.get(0) + "\", \"label\": \"repay\"}\n"
                    + "{\"decision_id\": 12345, \"label\": \"repay\"}\n"
                    + "\n"
                    + "not json at all\n"
                    + "{\"decision_id\": \"" + ids.get(1) + "\"}\n"
                    + "{\"decision_id\": \"" + ids.get(1) + "\", \"label\": \"default\"}\n";

            var upload = TestHttp.post(base, "/v1/labels?model=loan-risk", APP, body);

            assertThat(upload.statusCode()).as(upload.body()).isEqualTo(200);
            JsonNode result = TestNode.json(upload);
            assertThat(result.path("recorded").asInt()).isEqualTo(2);
            assertThat(result.path("refused").asInt()).isEqualTo(3);
            JsonNode lines = result.path("results");
            assertThat(lines).hasSize(5);
            assertThat(lines.get(0).path("line").asInt()).isEqualTo(1);
            assertThat(lines.get(0).path("result").asText()).isEqualTo("recorded");
            assertThat(lines.get(1).path("line").asInt()).isEqualTo(2);
            assertThat(lines.get(1).path("code").asText()).isEqualTo("invalid_line");
            assertThat(lines.get(1).path("message").asText())
                    .isEqualTo("line 2: 'decision_id' must be a non-empty string, got 12345 (number); expected"
                            + " {\"decision_id\": \"01J…\", \"label\": \"default\"}");
            assertThat(lines.get(2).path("line").asInt()).isEqualTo(4); // the blank line 3 is skipped
            assertThat(lines.get(2).path("message").asText()).startsWith("line 4 is not JSON: ");
            assertThat(lines.get(3).path("line").asInt()).isEqualTo(5);
            assertThat(lines.get(3).path("message").asText())
                    .startsWith("line 5: 'label' must be a non-empty string, it is missing");
            assertThat(lines.get(4).path("line").asInt()).isEqualTo(6);
            assertThat(lines.get(4).path("result").asText()).isEqualTo("recorded");
        }
    }

    private void predictLabelAndRead(Airlock node) throws Exception {
        String base = node.baseUrl();
        List<String> ids = new ArrayList<>();
        List<String> predicted = new ArrayList<>();
        double[] ratios = {0.05, 0.1, 0.9, 1.2};
        String[] regions = {"north", "north", "south", "south"};
        for (int i = 0; i < ratios.length; i++) {
            var response = TestHttp.post(
                    base,
                    "/v1/models/loan-risk/predict",
                    APP,
                    TestNode.JSON.writeValueAsString(Map.of("features", applicant(ratios[i], regions[i]))));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            ids.add(response.headers().firstValue("x-airlock-decision-id").orElseThrow());
            predicted.add(TestNode.json(response).path("prediction").asText());
        }
        // label: the first three as predicted, the fourth the other way
        String flipped = predicted.get(3).equals("default") ? "repay" : "default";
        var single = TestHttp.post(
                base, "/v1/decisions/" + ids.get(0) + "/label", APP, "{\"label\":\"" + predicted.get(0) + "\"}");
        assertThat(single.statusCode()).as(single.body()).isEqualTo(200);
        assertThat(TestNode.json(single).path("result").asText()).isEqualTo("recorded");

        String csv = "decision_id,label\n" + ids.get(1) + "," + predicted.get(1) + "\n" + ids.get(2) + ","
                + predicted.get(2) + "\n" + ids.get(3) + "," + flipped + "\n" + ids.get(1) + "," + predicted.get(1)
                + "\nno-such-id,repay\n";
        var upload = TestHttp.send(TestHttp.request(base, "/v1/labels?model=loan-risk", APP)
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(csv))
                .build());
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(200);
        JsonNode counts = TestNode.json(upload);
        assertThat(counts.path("recorded").asInt()).isEqualTo(3);
        assertThat(counts.path("unchanged").asInt()).isEqualTo(1);
        assertThat(counts.path("refused").asInt()).isEqualTo(1);
        assertThat(counts.path("results").get(4).path("code").asText()).isEqualTo("unknown_decision");

        var otherTenant = TestHttp.post(base, "/v1/decisions/" + ids.get(0) + "/label", OTHER, "{\"label\":\"repay\"}");
        assertThat(otherTenant.statusCode()).isEqualTo(404);

        JsonNode report = TestNode.json(TestHttp.get(base, "/v1/models/loan-risk/accuracy?window=1d", AUDITOR));
        var unknownModel =
                TestHttp.post(base, "/v1/labels?model=nope", APP, "{\"decision_id\":\"x\",\"label\":\"repay\"}");
        assertThat(unknownModel.statusCode()).as(unknownModel.body()).isEqualTo(404);
        assertThat(unknownModel.body()).contains("model_not_found");
        var unknownVersion = TestHttp.get(base, "/v1/models/loan-risk/accuracy?version=9.9.9", AUDITOR);
        assertThat(unknownVersion.statusCode()).isEqualTo(404);
        assertThat(unknownVersion.body()).contains("version_not_found");
        var hugeWindow = TestHttp.get(base, "/v1/models/loan-risk/accuracy?window=999999999999d", AUDITOR);
        assertThat(hugeWindow.statusCode()).as(hugeWindow.body()).isEqualTo(400);
        assertThat(report.path("predictions").asInt()).isEqualTo(4);
        assertThat(report.path("labelled").asInt()).isEqualTo(4);
        assertThat(report.at("/metrics/accuracy/value").asDouble()).isEqualTo(0.75);
        assertThat(report.at("/expected/accuracy").asDouble()).isCloseTo(0.68, offset(1e-12));
        assertThat(report.at("/fairness/groups/0/value").asText()).isEqualTo("north");
        assertThat(report.at("/fairness/groups/1/value").asText()).isEqualTo("south");
        // two predictions a group, under the default minimum of 30: reported, but not counted in the ratio
        assertThat(report.at("/fairness/min_group_size").asInt()).isEqualTo(30);
        assertThat(report.at("/fairness/groups/0/counted").asBoolean()).isFalse();
        assertThat(report.at("/fairness/groups/0/predictions").asInt()).isEqualTo(2);
        assertThat(report.at("/fairness/disparate_impact").isNull()).isTrue();
        assertThat(report.at("/fairness/breaches")).isEmpty();
        // (0.75 - 0.70) x $40 x (4 a day x 30)
        assertThat(report.at("/roi/realised/monthly_value_usd").asDouble()).isCloseTo(0.05 * 40 * 120, offset(1e-6));

        // a correction makes it 4 of 4
        var corrected = TestHttp.post(
                base, "/v1/decisions/" + ids.get(3) + "/label", APP, "{\"label\":\"" + predicted.get(3) + "\"}");
        assertThat(TestNode.json(corrected).path("result").asText()).isEqualTo("corrected");
        JsonNode after = TestNode.json(TestHttp.get(base, "/v1/models/loan-risk/accuracy?window=1d", AUDITOR));
        assertThat(after.at("/metrics/accuracy/value").asDouble()).isEqualTo(1.0);

        var feedback = TestHttp.post(
                base, "/v1/decisions/" + ids.get(2) + "/feedback", APP, "{\"score\":-1,\"comment\":\"too harsh\"}");
        assertThat(feedback.statusCode()).as(feedback.body()).isEqualTo(201);
        var badFeedback = TestHttp.post(base, "/v1/decisions/" + ids.get(2) + "/feedback", APP, "{\"rating\":9}");
        assertThat(badFeedback.statusCode()).isEqualTo(400);
        assertThat(badFeedback.body()).contains("rating 9 must be from 1 (worst) to 5 (best)");
    }
}
