package dev.airlock.models;

import static dev.airlock.models.LoanRiskFixture.applicant;
import static dev.airlock.models.LoanRiskFixture.averageApplicant;
import static dev.airlock.models.LoanRiskFixture.riskyApplicant;
import static dev.airlock.models.LoanRiskFixture.safeApplicant;
import static dev.airlock.models.LoanRiskFixture.with;
import static dev.airlock.models.LoanRiskFixture.without;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.airlock.decision.Stop;
import dev.airlock.provider.PredictRequest;
import dev.airlock.provider.Prediction;
import dev.airlock.provider.Prediction.Contribution;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OnnxTabularModelTest {
    @TempDir
    static Path dir;

    static OnnxTabularModel model;

    @BeforeAll
    static void load() {
        model = OnnxTabularModel.load("credit", LoanRiskFixture.copyTo(dir));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static Prediction predict(Map<String, Object> features) {
        return model.predict(new PredictRequest("credit", features));
    }

    static double defaultProbability(Map<String, Object> features) {
        return predict(features).probabilities().get("default");
    }

    @Test
    void identity_comesFromTheSchema() {
        assertThat(model.name()).isEqualTo("credit");
        assertThat(model.version()).isEqualTo("1.0.0");
        assertThat(model.featureNames())
                .startsWith("annual_income", "debt_to_income")
                .hasSize(11);
        assertThat(model.trainingDataSha256()).get().asString().hasSize(64);
    }

    @Test
    void riskyApplicant_scoresHigherThanSafeApplicant() {
        double risky = defaultProbability(riskyApplicant());
        double safe = defaultProbability(safeApplicant());

        assertThat(risky).isGreaterThan(0.5);
        assertThat(safe).isLessThan(0.05);
        assertThat(predict(riskyApplicant()).label()).isEqualTo("default");
        assertThat(predict(safeApplicant()).label()).isEqualTo("repay");
    }

    @Test
    void probabilities_coverBothLabelsAndSumToOne() {
        Prediction p = predict(averageApplicant());

        assertThat(p.probabilities()).containsOnlyKeys("default", "repay");
        assertThat(p.probabilities().get("default") + p.probabilities().get("repay"))
                .isCloseTo(1.0, within(1e-12));
    }

    static Stream<Map<String, Object>> applicants() {
        return Stream.of(
                riskyApplicant(), safeApplicant(), averageApplicant(), with(averageApplicant(), "region", "mars"));
    }

    @ParameterizedTest
    @MethodSource("applicants")
    void contributionsPlusBaseline_makeTheLogOddsOfTheProbability(Map<String, Object> applicant) {
        Prediction p = predict(applicant);
        double probability = p.probabilities().get("default");
        double sum = p.contributions().stream()
                .mapToDouble(Contribution::contribution)
                .sum();

        assertThat(model.baselineLogOdds() + sum).isCloseTo(Math.log(probability / (1 - probability)), within(1e-4));
    }

    @Test
    void contributions_onePerRawFeature_largestMagnitudeFirst() {
        List<Contribution> contributions = predict(riskyApplicant()).contributions();

        assertThat(contributions)
                .extracting(Contribution::feature)
                .containsExactlyInAnyOrderElementsOf(model.featureNames());
        assertThat(contributions)
                .isSortedAccordingTo(Comparator.comparingDouble((Contribution c) -> -Math.abs(c.contribution())));
    }

    @Test
    void reasons_areTheCodesOfTheTopFourPushesTowardsDefault() {
        Prediction p = predict(riskyApplicant());
        List<String> expected = p.contributions().stream()
                .filter(c -> c.contribution() > 0)
                .sorted(Comparator.comparingDouble((Contribution c) -> -c.contribution()))
                .map(Contribution::reasonCode)
                .limit(4)
                .toList();

        assertThat(p.reasons()).hasSize(4).isEqualTo(expected);
        assertThat(p.reasons()).contains("DEBT_TO_INCOME_HIGH", "INCOME_LOW", "DELINQUENCIES_RECENT");
    }

    @Test
    void reasonCodes_followTheDirectionOfTheValue() {
        Map<String, String> risky = codes(predict(riskyApplicant()));
        Map<String, String> safe = codes(predict(safeApplicant()));

        assertThat(risky)
                .containsEntry("annual_income", "INCOME_LOW")
                .containsEntry("home_ownership", "HOME_OWNERSHIP_RENT");
        assertThat(safe)
                .containsEntry("annual_income", "INCOME_HIGH")
                .containsEntry("debt_to_income", "DEBT_TO_INCOME_LOW");
    }

    @Test
    void safeApplicant_hasFewReasonsOrNone() {
        Prediction p = predict(safeApplicant());

        assertThat(p.reasons())
                .allSatisfy(code -> assertThat(contributionOf(p, code)).isPositive());
    }

    @Test
    void messyButMeaningfulValues_encodeLikeCleanOnes() {
        Map<String, Object> clean =
                applicant(52_000, 0.31, 4, 12_500, 60, 7, 1, 9, "own", "debt_consolidation", "east");
        Map<String, Object> messy = applicant(
                "52,000", "31%", "4", "12.5k", "60 months", 7.0, "1", 9L, " Own-Home ", "Debt Consolidation", "E");

        assertThat(defaultProbability(messy)).isEqualTo(defaultProbability(clean));
        assertThat(predict(messy).contributions())
                .extracting(Contribution::value)
                .contains("52000", "0.31", "12500", "60", "own", "debt_consolidation", "east");
    }

    @Test
    void missingValueWithDefault_usesTheDefault() {
        Prediction p = predict(with(averageApplicant(), "delinquencies_2y", "N/A"));
        Prediction absent = predict(without(averageApplicant(), "delinquencies_2y"));

        assertThat(valueOf(p, "delinquencies_2y")).isEqualTo("0");
        assertThat(absent.probabilities()).isEqualTo(p.probabilities());
    }

    @Test
    void missingCategory_goesToTheUnknownBucket_andPushesNeitherWay() {
        Prediction p = predict(with(averageApplicant(), "home_ownership", null));

        assertThat(valueOf(p, "home_ownership")).isEqualTo("(unknown)");
        assertThat(contributionOfFeature(p, "home_ownership")).isZero();
    }

    @Test
    void unseenCategory_goesToTheUnknownBucket() {
        Prediction p = predict(with(averageApplicant(), "purpose", "wedding"));

        assertThat(valueOf(p, "purpose")).isEqualTo("(unknown)");
        assertThat(contributionOfFeature(p, "purpose")).isZero();
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of("annual_income", "abc", "features.annual_income: expected a number, got \"abc\""),
                Arguments.of("annual_income", true, "features.annual_income: expected a number, got true"),
                Arguments.of(
                        "annual_income",
                        Map.of("value", 1),
                        "features.annual_income: expected a number, got an object"),
                Arguments.of("annual_income", null, "features.annual_income: is required"),
                Arguments.of("annual_income", "N/A", "features.annual_income: is required, got \"N/A\""),
                Arguments.of(
                        "annual_income", -1, "features.annual_income: -1 is outside the accepted range 0 to 10000000"),
                Arguments.of("annual_income", Double.NaN, "features.annual_income: expected a finite number, got NaN"),
                Arguments.of("annual_income", "5,2", "features.annual_income: expected a number, got \"5,2\""),
                Arguments.of(
                        "employment_years", 99, "features.employment_years: 99 is outside the accepted range 0 to 60"),
                Arguments.of(
                        "debt_to_income", "31", "features.debt_to_income: 31 is outside the accepted range 0 to 1.5"),
                Arguments.of("purpose", 3.5, "features.purpose: expected a string, got 3.5"),
                Arguments.of("region", List.of("north"), "features.region: expected a string, got an array"));
    }

    @ParameterizedTest
    @MethodSource("badInputs")
    void badValue_stopsWith400NamingTheFeature(String feature, Object value, String message) {
        assertThatThrownBy(() -> predict(with(averageApplicant(), feature, value)))
                .isInstanceOfSatisfying(Stop.Stopped.class, e -> {
                    assertThat(e.stop().status()).isEqualTo(400);
                    assertThat(e.stop().param()).isEqualTo("features." + feature);
                    assertThat(e.stop().message()).isEqualTo(message);
                });
    }

    @Test
    void requiredFeatureAbsent_stopsWith400() {
        assertThatThrownBy(() -> predict(without(averageApplicant(), "loan_amount")))
                .isInstanceOfSatisfying(Stop.Stopped.class, e -> {
                    assertThat(e.stop().status()).isEqualTo(400);
                    assertThat(e.stop().param()).isEqualTo("features.loan_amount");
                });
    }

    @Test
    void unknownFeatureNames_stopWith400NamingThemAll() {
        Map<String, Object> features = with(with(averageApplicant(), "age", 41), "zip", "1000");

        assertThatThrownBy(() -> predict(features)).isInstanceOfSatisfying(Stop.Stopped.class, e -> {
            assertThat(e.stop().status()).isEqualTo(400);
            assertThat(e.stop().param()).isIn("features.age", "features.zip");
            assertThat(e.stop().message()).contains("'age'", "'zip'", "annual_income");
        });
    }

    @Test
    void concurrentCallers_getTheSameAnswersAsSequentialCalls() throws Exception {
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            inputs.add(applicant(
                    20_000 + 3_000 * i,
                    0.05 + 0.01 * i,
                    i % 20,
                    2_000 + 700 * i,
                    i % 2 == 0 ? 36 : 60,
                    i % 30,
                    i % 4,
                    3 + i % 15,
                    List.of("rent", "own", "mortgage").get(i % 3),
                    "car",
                    "north"));
        }
        List<Prediction> sequential =
                inputs.stream().map(OnnxTabularModelTest::predict).toList();

        int threads = 8;
        try (var executor = Executors.newFixedThreadPool(threads)) {
            var start = new CountDownLatch(1);
            List<Future<List<Prediction>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(executor.submit(() -> {
                    start.await();
                    List<Prediction> results = new ArrayList<>();
                    for (int round = 0; round < 10; round++) {
                        inputs.forEach(input -> results.add(predict(input)));
                    }
                    return results;
                }));
            }
            start.countDown();
            for (var future : futures) {
                List<Prediction> results = future.get();
                for (int i = 0; i < results.size(); i++) {
                    assertThat(results.get(i)).isEqualTo(sequential.get(i % inputs.size()));
                }
            }
        }
    }

    private static Map<String, String> codes(Prediction p) {
        Map<String, String> codes = new HashMap<>();
        p.contributions().forEach(c -> codes.put(c.feature(), c.reasonCode()));
        return codes;
    }

    private static String valueOf(Prediction p, String feature) {
        return p.contributions().stream()
                .filter(c -> c.feature().equals(feature))
                .findFirst()
                .orElseThrow()
                .value();
    }

    private static double contributionOfFeature(Prediction p, String feature) {
        return p.contributions().stream()
                .filter(c -> c.feature().equals(feature))
                .findFirst()
                .orElseThrow()
                .contribution();
    }

    private static double contributionOf(Prediction p, String code) {
        return p.contributions().stream()
                .filter(c -> code.equals(c.reasonCode()))
                .mapToDouble(Contribution::contribution)
                .max()
                .orElseThrow();
    }
}
