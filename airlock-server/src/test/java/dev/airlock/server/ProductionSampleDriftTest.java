package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.server.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loan-risk example's shipped production sample, a year after launch, sent as a client sends it (numbers as JSON
 * numbers, the rest as written: {@code 52.4k}, {@code Rent}), drifts from the training data it is compared with, where the example's README says it does: lower incomes, higher debt-to-income, purposes and a region
 * never seen in training, categories written in other cases; the loan term did not move.
 */
class ProductionSampleDriftTest {
    private static final Path DATA = Path.of("../examples/loan-risk/data");
    private static final String ADMIN = "ak_ops_ops-secret-0123456789abcdef";
    private static final String APP = "ak_app_app-secret-0123456789abcdef";

    @TempDir
    static Path dir;

    static Airlock node;
    static Map<String, JsonNode> columns = new HashMap<>();
    static JsonNode report;
    static int answered;

    @BeforeAll
    static void sendTheProductionSample() throws Exception {
        String yaml = """
                server: {port: 0}
                store: {url: "jdbc:sqlite:%s"}
                providers:
                  loan: {kind: onnx-tabular, path: "%s"}
                models:
                  loan-risk:
                    kind: predict
                    provider: loan
                    monitoring: {reference: "%s"}
                keys:
                  - {id: ops, tenant: default, role: admin, secret: "ops-secret-0123456789abcdef"}
                  - {id: app, tenant: default, role: app, secret: "app-secret-0123456789abcdef"}
                """.formatted(
                        dir.resolve("airlock.db"),
                        TestNode.LOAN_MODEL.toAbsolutePath(),
                        DATA.resolve("train.csv").toAbsolutePath());
        node = Airlock.start(new ConfigLoader(n -> null).parse(dir.resolve("airlock.yaml"), yaml));
        List<String> rows = Files.readAllLines(DATA.resolve("production-sample.csv"));
        String[] header = rows.getFirst().split(",");
        for (String row : rows.subList(1, rows.size())) {
            var response = TestHttp.post(
                    node.baseUrl(),
                    "/v1/models/loan-risk/predict",
                    APP,
                    TestNode.JSON.writeValueAsString(Map.of("features", DriftApiTest.features(header, cells(row)))));
            answered += response.statusCode() == 200 ? 1 : 0;
        }
        var response = TestHttp.get(node.baseUrl(), "/v1/admin/drift/loan-risk", ADMIN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        report = TestNode.json(response);
        report.path("columns").forEach(c -> columns.put(c.path("name").asText(), c));
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void theSampleIsComparedWithTheWholeTrainingData() {
        assertThat(report.path("reference_rows").asLong()).isEqualTo(20_000);
        assertThat(report.path("calls").asLong())
                .isGreaterThanOrEqualTo(answered)
                .isPositive();
        assertThat(report.path("dataset_drift").asBoolean())
                .as(report.toString())
                .isTrue();
    }

    @Test
    void incomeDebtPurposeRegionAndHomeOwnership_drift() {
        assertThat(List.of("annual_income", "debt_to_income", "purpose", "region", "home_ownership"))
                .allSatisfy(name -> assertThat(columns.get(name).path("drifted").asBoolean())
                        .as(name + ": " + columns.get(name))
                        .isTrue());
    }

    @Test
    void theLoanTerm_doesNotDrift() {
        assertThat(columns.get("loan_term_months").path("drifted").asBoolean())
                .as(columns.get("loan_term_months").toString())
                .isFalse();
    }

    /** One CSV line's cells; a quoted cell ({@code "46,600"}) is one cell, without its quotes. */
    static String[] cells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells.toArray(String[]::new);
    }
}
