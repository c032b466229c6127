package dev.airlock.examples.loanrisk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The production sample carries every kind of mess README.md promises, so the evaluation exercises the cleaning. */
class ProductionSampleTest {
    static final List<Map<String, String>> ROWS = Csv.read(Path.of(LoanRiskBuild.PRODUCTION_FILE));

    static long count(String column, Predicate<String> kind) {
        return ROWS.stream().map(row -> row.get(column)).filter(kind).count();
    }

    @Test
    void incomes_comeGroupedAbbreviatedMissingAndAsSentinels() {
        assertThat(count("annual_income", v -> v.matches("\\d{1,3}(,\\d{3})+"))).isGreaterThan(150);
        assertThat(count("annual_income", v -> v.endsWith("k"))).isGreaterThan(80);
        assertThat(count("annual_income", String::isEmpty)).isGreaterThan(30);
        assertThat(count("annual_income", "N/A"::equals)).isGreaterThan(5);
        assertThat(count("annual_income", "-1"::equals)).isGreaterThan(5);
    }

    @Test
    void ratiosAndTerms_comeWithUnits() {
        assertThat(count("debt_to_income", v -> v.endsWith("%"))).isGreaterThan(100);
        assertThat(count("loan_term_months", v -> v.endsWith(" months"))).isGreaterThan(200);
        assertThat(count("employment_years", "99"::equals)).isGreaterThan(5);
    }

    @Test
    void categories_comeInOddSpellingsAndUnseenValues() {
        assertThat(count("home_ownership", v -> !v.equals(v.strip()))).isGreaterThan(100);
        assertThat(count("home_ownership", List.of("own-home", "homeowner", "renting", "mortgaged")::contains))
                .isGreaterThan(50);
        assertThat(count("home_ownership", "living_with_parents"::equals)).isGreaterThan(5);
        assertThat(count("purpose", List.of("wedding", "vacation", "renewable_energy")::contains))
                .isGreaterThan(100);
        assertThat(count("purpose", "Debt Consolidation"::equals)).isGreaterThan(50);
        assertThat(count("region", "central"::equals)).isGreaterThan(50);
        assertThat(count("region", v -> v.length() == 1)).isGreaterThan(30);
    }

    @Test
    void defaults_areMoreCommonThanInTraining() {
        double production = count(ApplicationRows.LABEL, "1"::equals) / (double) ROWS.size();
        List<Map<String, String>> training = Csv.read(Path.of(LoanRiskBuild.TRAIN_FILE));
        double train = training.stream()
                        .filter(r -> r.get(ApplicationRows.LABEL).equals("1"))
                        .count()
                / (double) training.size();

        assertThat(train).isBetween(0.10, 0.20);
        assertThat(production).isGreaterThan(train + 0.05);
    }
}
