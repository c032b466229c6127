package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.server.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drift over real HTTP: a loan-risk model whose reference is the first 300 rows of its training data; predictions
 * from the next 300 rows with the income tripled drift in income and not in loan amount.
 */
class DriftApiTest {
    private static final Path TRAIN = Path.of("../examples/loan-risk/data/train.csv");
    private static final String AUDITOR = "ak_audit1_audit-secret-0123456789abcdef";
    private static final String APP = "ak_app1_app-secret-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private Airlock airlock;

    @AfterEach
    void stop() {
        if (airlock != null) {
            airlock.close();
        }
    }

    @Test
    void shiftedIncome_drifts_andLoanAmountDoesNot() throws Exception {
        List<String> rows;
        try (Stream<String> lines = Files.lines(TRAIN)) {
            rows = lines.limit(601).toList();
        }
        Files.writeString(dir.resolve("reference.csv"), String.join("\n", rows.subList(0, 301)));
        start();
        String[] header = rows.getFirst().split(",");
        for (String row : rows.subList(301, 601)) {
            Map<String, Object> features = features(header, row.split(","));
            features.put("annual_income", ((Number) features.get("annual_income")).doubleValue() * 3);
            assertThat(send(
                                    "POST",
                                    "/v1/models/loan-risk/predict",
                                    APP,
                                    JSON.writeValueAsString(Map.of("features", features)))
                            .statusCode())
                    .isEqualTo(200);
        }

        HttpResponse<String> response = send("GET", "/v1/admin/drift/loan-risk?since=1h", AUDITOR, null);
        HttpResponse<String> html = send("GET", "/v1/admin/drift/loan-risk?format=html", AUDITOR, null);
        HttpResponse<String> text = send("GET", "/v1/admin/drift/loan-risk?format=text", AUDITOR, null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode report = JSON.readTree(response.body());
        assertThat(report.path("version").asText()).isEqualTo("1.0.0");
        assertThat(report.path("calls").asLong()).isEqualTo(300);
        assertThat(report.path("reference_rows").asLong()).isEqualTo(300);
        Map<String, JsonNode> columns = new HashMap<>();
        report.path("columns").forEach(c -> columns.put(c.path("name").asText(), c));
        assertThat(columns.get("annual_income").path("drifted").asBoolean()).isTrue();
        assertThat(columns.get("loan_amount").path("drifted").asBoolean()).isFalse();
        assertThat(columns.get("loan_amount").path("current").path("values").asLong())
                .isEqualTo(300);
        assertThat(columns).containsKey("predicted_class");
        assertThat(html.statusCode()).isEqualTo(200);
        assertThat(html.headers().firstValue("content-type").orElseThrow()).startsWith("text/html");
        assertThat(html.body()).contains("Drift of loan-risk@1.0.0").contains("annual_income");
        assertThat(text.body()).containsPattern("annual_income.*");
    }

    @Test
    void badInput_andMissingData_getProblemDetailsNamingWhatWasWrong() throws Exception {
        Files.writeString(dir.resolve("reference.csv"), "region,annual_income\nnorth,40000\n");
        start();

        var noTraffic = send("GET", "/v1/admin/drift/loan-risk", AUDITOR, null);
        var badSince = send("GET", "/v1/admin/drift/loan-risk?since=soon", AUDITOR, null);
        var hugeSince = send("GET", "/v1/admin/drift/loan-risk?since=999999999999d", AUDITOR, null);
        var overflowingSince = send("GET", "/v1/admin/drift/loan-risk?since=9999999999999999999999h", AUDITOR, null);
        var badFormat = send("GET", "/v1/admin/drift/loan-risk?format=pdf", AUDITOR, null);
        var noModel = send("GET", "/v1/admin/drift/nope", AUDITOR, null);
        var noVersion = send("GET", "/v1/admin/drift/loan-risk?version=9", AUDITOR, null);
        var app = send("GET", "/v1/admin/drift/loan-risk", APP, null);

        assertThat(noTraffic.statusCode()).isEqualTo(404);
        assertThat(noTraffic.headers().firstValue("content-type").orElseThrow()).startsWith("application/problem+json");
        assertThat(JSON.readTree(noTraffic.body()).path("detail").asText()).contains("had no calls");
        assertThat(badSince.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badSince.body()).path("detail").asText()).contains("'soon' is not a duration");
        assertThat(hugeSince.statusCode()).as(hugeSince.body()).isEqualTo(400);
        assertThat(JSON.readTree(hugeSince.body()).path("detail").asText())
                .contains("longer than the 3650d a look-back may reach");
        assertThat(overflowingSince.statusCode()).as(overflowingSince.body()).isEqualTo(400);
        assertThat(JSON.readTree(overflowingSince.body()).path("detail").asText())
                .contains("too long a duration")
                .doesNotContain("For input string");
        assertThat(badFormat.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badFormat.body()).path("detail").asText())
                .contains("'pdf' is not one of json, html, text");
        assertThat(noModel.statusCode()).isEqualTo(404);
        assertThat(noVersion.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(noVersion.body()).path("detail").asText()).contains("has no version '9'");
        assertThat(app.statusCode()).isEqualTo(403);
    }

    private void start() {
        String yaml = """
                server: {host: 127.0.0.1, port: 0}
                bootstrap: {admin_tenant: acme}
                store: {url: "jdbc:sqlite:%s"}
                providers:
                  loan: {kind: onnx-tabular, path: "%s"}
                models:
                  loan-risk:
                    kind: predict
                    provider: loan
                    monitoring: {reference: reference.csv}
                keys:
                  - {id: app1, tenant: acme, role: app, secret: "app-secret-0123456789abcdef"}
                  - {id: audit1, tenant: acme, role: auditor, secret: "audit-secret-0123456789abcdef"}
                """.formatted(dir.resolve("airlock.db"), TestNode.LOAN_MODEL);
        airlock = Airlock.start(new ConfigLoader(name -> null).parse(dir.resolve("airlock.yaml"), yaml));
    }

    /** A CSV row as features: numbers as numbers, other text as received; the id and the label left out. */
    static Map<String, Object> features(String[] header, String[] cells) {
        Map<String, Object> features = new HashMap<>();
        for (int i = 0; i < header.length; i++) {
            if (header[i].equals("application_id") || header[i].equals("default") || i >= cells.length) {
                continue;
            }
            if (cells[i].isEmpty()) {
                features.put(header[i], null);
                continue;
            }
            try {
                features.put(header[i], Double.parseDouble(cells[i]));
            } catch (NumberFormatException e) {
                features.put(header[i], cells[i]);
            }
        }
        return features;
    }

    private HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(airlock.baseUrl() + path))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
