package dev.airlock.monitor.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * On KLL sketches the statistics are within the bound that the sketches' normalised rank error ε gives: each CDF is
 * off by at most ε (DataSketches' single-rank bound, at 99% confidence), so the KS D is off by at most ε_r + ε_c and
 * the Wasserstein area ∫|F − G| by at most (ε_r + ε_c)·(max − min). A sketch that has not compacted is exact.
 */
class SketchBoundsTest {

    static List<JsonNode> numericCases() {
        return Fixtures.cases("numeric");
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("numericCases")
    void sketchedStatistics_areWithinTheRankErrorBound(JsonNode c) {
        double[] ref = Fixtures.numbers(c.get("reference"));
        double[] cur = Fixtures.numbers(c.get("current"));
        JsonNode e = c.get("expected");
        KllDoublesSketch rs = Fixtures.sketch(ref);
        KllDoublesSketch cs = Fixtures.sketch(cur);
        Distribution r = new Distribution.Sketched(rs);
        Distribution d = new Distribution.Sketched(cs);
        double bound = r.rankError() + d.rankError();
        assertThat(bound).isEqualTo(rs.isEstimationMode() || cs.isEstimationMode() ? bound : 0.0);
        assertThat(bound).isLessThan(0.03); // k = 200: ε ≈ 1.33% per sketch

        double ks = Statistics.ks(r, d).statistic();
        assertThat(ks).isCloseTo(e.get("ks_statistic").asDouble(), within(bound + 1e-12));

        Distribution exactRef = new Distribution.Exact(ref);
        double exactArea = e.get("wasserstein").asDouble() * Math.max(exactRef.std(), Statistics.MIN_STD);
        double sketchArea = Statistics.wasserstein(r, d) * Math.max(r.std(), Statistics.MIN_STD);
        double range = Math.max(exactRef.max(), new Distribution.Exact(cur).max())
                - Math.min(exactRef.min(), new Distribution.Exact(cur).min());
        assertThat(sketchArea).isCloseTo(exactArea, within(bound * range + 1e-9));
    }
}
