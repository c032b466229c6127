package dev.airlock.monitor.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each statistic agrees with SciPy (eval/drift/make_fixtures.py) to 1e-6 on exact samples and counts. */
class StatisticsTest {

    private static final double TOLERANCE = 1e-6;

    static List<JsonNode> numericCases() {
        return Fixtures.cases("numeric");
    }

    static List<JsonNode> categoricalCases() {
        return Fixtures.cases("categorical");
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("numericCases")
    void numbers_agreeWithScipy(JsonNode c) {
        double[] ref = Fixtures.numbers(c.get("reference"));
        double[] cur = Fixtures.numbers(c.get("current"));
        JsonNode e = c.get("expected");
        Distribution r = new Distribution.Exact(ref);
        Distribution d = new Distribution.Exact(cur);

        Statistics.Outcome ks = Statistics.ks(ref, cur);
        assertThat(ks.statistic()).isCloseTo(e.get("ks_statistic").asDouble(), within(TOLERANCE));
        assertThat(ks.pValue()).isCloseTo(e.get("ks_p_value").asDouble(), within(TOLERANCE));
        assertThat(Statistics.wasserstein(r, d)).isCloseTo(e.get("wasserstein").asDouble(), within(TOLERANCE));
        double[] edges = Statistics.quantileEdges(r);
        assertThat(edges).containsExactly(Fixtures.numbers(e.get("edges")));
        double[] rs = Statistics.binShares(r, edges);
        double[] cs = Statistics.binShares(d, edges);
        assertThat(Statistics.psi(rs, cs)).isCloseTo(e.get("psi").asDouble(), within(TOLERANCE));
        assertThat(Statistics.jensenShannon(rs, cs))
                .isCloseTo(e.get("jensenshannon").asDouble(), within(TOLERANCE));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("numericCases")
    void ksOnDistributions_isTheSampleStatistic(JsonNode c) {
        double[] ref = Fixtures.numbers(c.get("reference"));
        double[] cur = Fixtures.numbers(c.get("current"));
        Statistics.Outcome viaCdf = Statistics.ks(new Distribution.Exact(ref), new Distribution.Exact(cur));
        assertThat(viaCdf.statistic())
                .isCloseTo(c.get("expected").get("ks_statistic").asDouble(), within(TOLERANCE));
    }

    @Test
    void ksAsymptoticP_isCommonsTwoSampleAsymptotic() {
        // Both samples ≥ 10,000: Commons (and SciPy's "asymp") use the asymptotic p-value; the sketch path's
        // p-value from D alone must be the same number.
        JsonNode c = numericCases().stream()
                .filter(n -> n.get("expected").get("ks_p_method").asText().equals("asymp"))
                .findFirst()
                .orElseThrow();
        JsonNode e = c.get("expected");
        double p = Statistics.ksAsymptoticP(
                e.get("ks_statistic").asDouble(),
                c.get("reference").size(),
                c.get("current").size());
        assertThat(p).isCloseTo(e.get("ks_p_value").asDouble(), within(TOLERANCE));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("categoricalCases")
    void categories_agreeWithScipy(JsonNode c) {
        Map<String, Long> ref = Fixtures.counts(c.get("reference"));
        Map<String, Long> cur = Fixtures.counts(c.get("current"));
        JsonNode e = c.get("expected");
        String[] keys = Statistics.keys(ref, cur);
        double[] rs = Statistics.categoryShares(keys, ref);
        double[] cs = Statistics.categoryShares(keys, cur);
        assertThat(Statistics.jensenShannon(rs, cs))
                .isCloseTo(e.get("jensenshannon").asDouble(), within(TOLERANCE));
        assertThat(Statistics.psi(rs, cs)).isCloseTo(e.get("psi").asDouble(), within(TOLERANCE));
        Statistics.Outcome chi = Statistics.chiSquare(ref, cur);
        assertThat(chi.statistic()).isCloseTo(e.get("chi_square_statistic").asDouble(), within(TOLERANCE));
        assertThat(chi.pValue()).isCloseTo(e.get("chi_square_p_value").asDouble(), within(TOLERANCE));
        if (e.has("z_statistic")) {
            Statistics.Outcome z = Statistics.z(ref, cur);
            assertThat(z.statistic()).isCloseTo(e.get("z_statistic").asDouble(), within(TOLERANCE));
            assertThat(z.pValue()).isCloseTo(e.get("z_p_value").asDouble(), within(TOLERANCE));
        } else {
            assertThatThrownBy(() -> Statistics.z(ref, cur))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("the Z-test compares two categories");
        }
    }

    @Test
    void psi_fillsEmptyBinsAsTheBaseline() {
        assertThat(Statistics.fillEmpty(new double[] {0.5, 0.5, 0})).containsExactly(0.5, 0.5, 1e-4);
        assertThat(Statistics.fillEmpty(new double[] {0.99995, 0.00005, 0})).containsExactly(0.99995, 0.00005, 5e-11);
    }

    @Test
    void identicalSides_showNoDifference() {
        double[] values = {1, 2, 2, 3, 5, 8};
        Distribution d = new Distribution.Exact(values);
        assertThat(Statistics.ks(d, d).statistic()).isZero();
        assertThat(Statistics.wasserstein(d, d)).isZero();
        assertThat(Statistics.jensenShannon(new double[] {0.2, 0.8}, new double[] {0.2, 0.8}))
                .isZero();
        assertThat(Statistics.z(Map.of("yes", 10L), Map.of("yes", 7L)).pValue()).isEqualTo(1.0);
    }
}
