package dev.airlock.examples.loanrisk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.airlock.models.OnnxTabularModel;
import dev.airlock.provider.PredictRequest;
import dev.airlock.provider.Prediction;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The committed model, served by the runtime from its schema alone, answers as the trainer's own arithmetic does. */
class ServedModelTest {
    static OnnxTabularModel served;
    static LoanRiskBuild.Artifacts build;

    @BeforeAll
    static void load() throws Exception {
        served = OnnxTabularModel.load("loan-risk", Path.of(LoanRiskBuild.ONNX_FILE));
        build = LoanRiskBuild.train(
                ReproducibilityTest.committed(LoanRiskBuild.TRAIN_FILE),
                ReproducibilityTest.committed(LoanRiskBuild.PRODUCTION_FILE));
    }

    @AfterAll
    static void close() {
        served.close();
    }

    @Test
    void servedProbabilities_matchTheTrainersOnTheHoldout() {
        for (Map<String, String> row : build.holdout().subList(0, 500)) {
            double expected = build.model().probability(build.encoding().encode(row));

            assertThat(predict(row).probabilities().get("default")).isCloseTo(expected, within(1e-5));
        }
    }

    @Test
    void servedContributions_areWeightTimesStandardisedValue() {
        Map<String, String> row = build.holdout().getFirst();
        double[] x = build.encoding().encode(row);
        List<String> columns = build.encoding().columns();
        Prediction prediction = predict(row);

        for (Prediction.Contribution c : prediction.contributions()) {
            double expected = 0;
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).equals(c.feature()) || columns.get(i).startsWith(c.feature() + "=")) {
                    expected += build.model().weights()[i] * x[i];
                }
            }
            assertThat(c.contribution()).as(c.feature()).isCloseTo(expected, within(1e-5));
        }
        assertThat(served.baselineLogOdds()).isCloseTo(build.model().intercept(), within(1e-5));
    }

    @Test
    void messyRiskyApplication_getsItsStrongestAdverseReasonsFirst() {
        Prediction risky = served.predict(new PredictRequest(
                "loan-risk",
                Map.ofEntries(
                        Map.entry("annual_income", "21k"),
                        Map.entry("debt_to_income", "55%"),
                        Map.entry("employment_years", 0),
                        Map.entry("loan_amount", "30,000"),
                        Map.entry("loan_term_months", "60 months"),
                        Map.entry("credit_history_years", 1),
                        Map.entry("delinquencies_2y", 3),
                        Map.entry("open_credit_lines", 14),
                        Map.entry("home_ownership", "Rent"),
                        Map.entry("purpose", "Small Business"),
                        Map.entry("region", "S"))));

        assertThat(risky.label()).isEqualTo("default");
        assertThat(risky.reasons())
                .hasSize(4)
                .containsExactly("DELINQUENCIES_RECENT", "INCOME_LOW", "DEBT_TO_INCOME_HIGH", "LOAN_AMOUNT_HIGH");
    }

    private static Prediction predict(Map<String, String> row) {
        Map<String, Object> features = new LinkedHashMap<>(row);
        features.remove(ApplicationRows.ID);
        features.remove(ApplicationRows.LABEL);
        return served.predict(new PredictRequest("loan-risk", features));
    }
}
