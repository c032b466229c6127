package dev.airlock.server;

import static dev.airlock.server.TestNode.APP_KEY;
import static dev.airlock.server.TestNode.AUDITOR_KEY;
import static dev.airlock.server.TestNode.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Profiles over real HTTP: predictions go in, their profile comes back; reference profiles from CSV. */
class ProfilesApiTest {
    private static final String ADMIN_KEY = "ak_admin1_admin-secret-0123456789abcdef";
    private static final Path TRAIN = Path.of("../examples/loan-risk/data/train.csv");

    @TempDir
    Path dir;

    private TestNode node;

    @BeforeEach
    void start() {
        node = TestNode.start(dir);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void predictions_showUpInTheCurrentProfile_withSchemaDriftCounted() {
        for (int i = 0; i < 5; i++) {
            assertThat(predict(applicant(40_000 + i * 1_000)).statusCode()).isEqualTo(200);
        }
        Map<String, Object> missingDebt = applicant(50_000);
        missingDebt.remove("debt_to_income");
        assertThat(predict(missingDebt).statusCode()).isEqualTo(200);
        Map<String, Object> unknownField = applicant(50_000);
        unknownField.put("shoe_size", 44);
        assertThat(predict(unknownField).statusCode()).isEqualTo(400);
        Map<String, Object> wrongType = applicant(50_000);
        wrongType.put("annual_income", "lots");
        predict(wrongType);

        HttpResponse<String> response = node.get("/v1/admin/profiles/loan-risk?version=1.0.0", AUDITOR_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode profile = json(response).path("data").path(0);
        assertThat(profile.path("version").asText()).isEqualTo("1.0.0");
        assertThat(profile.path("count").asLong()).isEqualTo(8);
        assertThat(profile.path("schema_drift")
                        .path("unknown")
                        .path("shoe_size")
                        .asLong())
                .isEqualTo(1);
        assertThat(profile.path("schema_drift")
                        .path("missing")
                        .path("debt_to_income")
                        .asLong())
                .isEqualTo(1);
        JsonNode income = profile.path("inputs").path("annual_income");
        assertThat(income.path("kind").asText()).isEqualTo("numeric");
        assertThat(income.path("count").asLong()).isEqualTo(7);
        assertThat(income.path("type_errors").asLong()).isEqualTo(1);
        assertThat(income.path("min").asDouble()).isEqualTo(40_000);
        assertThat(income.path("max").asDouble()).isEqualTo(50_000);
        assertThat(profile.path("inputs")
                        .path("region")
                        .path("categories")
                        .path("south")
                        .asLong())
                .isEqualTo(8);
        JsonNode classes = profile.path("outputs").path("predicted_class").path("categories");
        assertThat(classes.path("default").asLong() + classes.path("repay").asLong())
                .isEqualTo(6);
        assertThat(profile.path("outputs").path("probability").path("count").asLong())
                .isEqualTo(6);
    }

    @Test
    void aReferenceFromCsv_isPutByAnAdmin_auditedAndReadBack() throws Exception {
        String csv;
        try (Stream<String> lines = Files.lines(TRAIN)) {
            csv = lines.limit(501).collect(Collectors.joining("\n"));
        }

        HttpResponse<String> put = put("/v1/admin/profiles/loan-risk/versions/1.0.0/reference", ADMIN_KEY, csv);

        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(json(put).path("rows").asLong()).isEqualTo(500);
        assertThat(json(put).path("label_column").asText()).isEqualTo("default");
        assertThat(json(put).path("ignored_columns").toString()).isEqualTo("[\"application_id\"]");
        JsonNode reference = json(node.get("/v1/admin/profiles/loan-risk/versions/1.0.0/reference", AUDITOR_KEY));
        assertThat(reference.path("inputs").path("loan_amount").path("count").asLong())
                .isEqualTo(500);
        assertThat(reference
                        .path("outputs")
                        .path("predicted_class")
                        .path("count")
                        .asLong())
                .isEqualTo(500);
        assertThat(node.get("/v1/audit/events?action=profile.reference_put", AUDITOR_KEY)
                        .body())
                .contains("profile.reference_put")
                .contains("loan-risk@1.0.0");
    }

    @Test
    void badInput_getsProblemDetailsNamingWhatWasWrong() {
        var notAdmin = put("/v1/admin/profiles/loan-risk/versions/1.0.0/reference", APP_KEY, "region\nnorth\n");
        var badCsv = put("/v1/admin/profiles/loan-risk/versions/1.0.0/reference", ADMIN_KEY, "region,purpose\nnorth\n");
        var noVersion = put("/v1/admin/profiles/loan-risk/versions/9/reference", ADMIN_KEY, "region\nnorth\n");
        var noReference = node.get("/v1/admin/profiles/loan-risk/versions/1.0.0/reference", AUDITOR_KEY);
        var badWindow = node.get("/v1/admin/profiles/loan-risk?window=soon", AUDITOR_KEY);

        assertThat(notAdmin.statusCode()).isEqualTo(403);
        assertThat(notAdmin.headers().firstValue("content-type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(badCsv.statusCode()).isEqualTo(400);
        assertThat(json(badCsv).path("detail").asText())
                .contains("line 2: expected 2 fields as in the header, found 1");
        assertThat(noVersion.statusCode()).isEqualTo(404);
        assertThat(json(noVersion).path("detail").asText()).contains("has no version '9'");
        assertThat(noReference.statusCode()).isEqualTo(404);
        assertThat(badWindow.statusCode()).isEqualTo(400);
        assertThat(json(badWindow).path("detail").asText()).contains("'soon' is not a duration");
    }

    private HttpResponse<String> predict(Map<String, Object> features) {
        return node.post("/v1/models/loan-risk/predict", APP_KEY, Map.of("features", features));
    }

    private HttpResponse<String> put(String path, String key, String body) {
        return node.send(node.request(path, key)
                .header("Content-Type", "text/csv")
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private static Map<String, Object> applicant(int income) {
        Map<String, Object> f = new HashMap<>();
        f.put("annual_income", income);
        f.put("debt_to_income", 0.3);
        f.put("employment_years", 3);
        f.put("loan_amount", 12_000);
        f.put("loan_term_months", 36);
        f.put("credit_history_years", 8);
        f.put("delinquencies_2y", 0);
        f.put("open_credit_lines", 7);
        f.put("home_ownership", "rent");
        f.put("purpose", "car");
        f.put("region", "south");
        return f;
    }
}
