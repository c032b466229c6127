package dev.airlock.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.airlock.decision.RequestKind;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProfileTest {
    private static final Instant T0 = Instant.parse("2026-05-01T10:00:00Z");
    private static final ProfileSpec LOANS = new ProfileSpec(
            RequestKind.PREDICT,
            Map.of("income", ColumnKind.NUMERIC, "region", ColumnKind.CATEGORICAL),
            "default",
            "repay",
            ProfileSpec.DEFAULT_MISSING,
            Duration.ofHours(1));

    private final Profile profile = new Profile("loans", "1", T0, T0.plusSeconds(3600));

    @Test
    void counts_nullsTypeErrorsAndCategories_exactly() {
        observe(Map.of("income", 50_000, "region", "north"));
        observe(Map.of("income", 60_000.5, "region", "north"));
        observe(Map.of("income", "n/a", "region", "south"));
        observe(Map.of("income", "52,000", "region", 7));
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("income", null);
        withNull.put("region", "NA");
        observe(withNull);

        NumericColumn income = (NumericColumn) profile.inputs().get("income");
        CategoricalColumn region = (CategoricalColumn) profile.inputs().get("region");
        assertThat(profile.count()).isEqualTo(5);
        assertThat(income.count()).isEqualTo(2);
        assertThat(income.nulls()).isEqualTo(2);
        assertThat(income.typeErrors()).isEqualTo(1);
        assertThat(income.min()).isEqualTo(50_000);
        assertThat(income.max()).isEqualTo(60_000.5);
        assertThat(region.exact()).isTrue();
        assertThat(region.counts()).containsExactly(Map.entry("north", 2L), Map.entry("south", 1L));
        assertThat(region.nulls()).isEqualTo(1);
        assertThat(region.typeErrors()).isEqualTo(1);
        assertThat(profile.unknownFields()).isZero();
        assertThat(profile.missingFields()).isZero();
    }

    @Test
    void schemaDrift_countsUnknownAndMissingFieldsByName() {
        observe(Map.of("income", 1, "region", "north", "colour", "red", "shoe_size", 44));
        observe(Map.of("income", 2, "colour", "blue"));

        assertThat(profile.unknownFields()).isEqualTo(3);
        assertThat(profile.unknownFieldNames()).containsExactly(Map.entry("colour", 2L), Map.entry("shoe_size", 1L));
        assertThat(profile.missingFields()).isEqualTo(1);
        assertThat(profile.missingFieldNames()).containsExactly(Map.entry("region", 1L));
        assertThat(profile.inputs()).containsOnlyKeys("income", "region");
        assertThat(profile.inputs().get("region").nulls()).isEqualTo(1);
    }

    @Test
    void quantiles_areWithinTheSketchsRankErrorOfTheExactOnes() {
        var random = new Random(42);
        int n = 200_000;
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = Math.exp(10 + random.nextGaussian());
            observe(Map.of("income", values[i], "region", "north"));
        }
        Arrays.sort(values);
        NumericColumn income = (NumericColumn) profile.inputs().get("income");
        double error = NumericColumn.rankError();

        assertThat(error).isLessThan(0.014);
        for (double rank : new double[] {0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99}) {
            double estimate = income.quantile(rank);
            int below = lowerBound(values, estimate);
            assertThat((double) below / n)
                    .as("rank of the estimated %s quantile", rank)
                    .isCloseTo(rank, within(error));
        }
        assertThat(income.count()).isEqualTo(n);
        assertThat(income.min()).isEqualTo(values[0]);
        assertThat(income.max()).isEqualTo(values[n - 1]);
    }

    @Test
    void manyCategories_leaveExactCounting_butTheFrequentOnesStayWithinTheSketchsError() {
        for (int i = 0; i < 10_000; i++) {
            observe(Map.of("income", 1, "region", i % 2 == 0 ? "north" : "r" + i));
        }
        CategoricalColumn region = (CategoricalColumn) profile.inputs().get("region");

        assertThat(region.exact()).isFalse();
        assertThat(region.count()).isEqualTo(10_000);
        assertThat(region.counts().get("north")).isBetween(5_000L, 5_000L + region.maximumError());
    }

    @Test
    void merging_addsCountsAndSketches_andWidensTheWindow() {
        observe(Map.of("income", 1, "region", "north"));
        Profile later = new Profile("loans", "1", T0.plusSeconds(3600), T0.plusSeconds(7200));
        later.countCall();
        Observations.features(later, LOANS, Map.of("income", 3, "region", "south", "extra", 1));

        profile.merge(later);

        assertThat(profile.count()).isEqualTo(2);
        assertThat(profile.from()).isEqualTo(T0);
        assertThat(profile.to()).isEqualTo(T0.plusSeconds(7200));
        assertThat(((NumericColumn) profile.inputs().get("income")).max()).isEqualTo(3);
        assertThat(((CategoricalColumn) profile.inputs().get("region")).counts())
                .containsOnlyKeys("north", "south");
        assertThat(profile.unknownFieldNames()).containsExactly(Map.entry("extra", 1L));
    }

    @Test
    void bytes_roundTripEveryCount() {
        observe(Map.of("income", 10, "region", "north", "x", true));
        observe(Map.of("income", "oops"));
        for (int i = 0; i < 150; i++) {
            Observations.features(profile, LOANS, Map.of("income", i, "region", "c" + i));
        }

        Profile read = Profile.fromBytes(profile.toBytes());

        assertThat(read.toString()).isEqualTo(profile.toString());
        assertThat(read.unknownFieldNames()).isEqualTo(profile.unknownFieldNames());
        assertThat(read.missingFieldNames()).isEqualTo(profile.missingFieldNames());
        for (String name : profile.inputs().keySet()) {
            Column a = profile.inputs().get(name);
            Column b = read.inputs().get(name);
            assertThat(b.count()).isEqualTo(a.count());
            assertThat(b.nulls()).isEqualTo(a.nulls());
            assertThat(b.typeErrors()).isEqualTo(a.typeErrors());
        }
        assertThat(((NumericColumn) read.inputs().get("income")).quantile(0.5))
                .isEqualTo(((NumericColumn) profile.inputs().get("income")).quantile(0.5));
        assertThat(((CategoricalColumn) read.inputs().get("region")).exact()).isFalse();
    }

    @Test
    void withoutDeclaredFeatures_kindsComeFromTheFirstValues_andNothingIsUnknown() {
        ProfileSpec inferred = ProfileSpec.inferred(RequestKind.PREDICT);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("age", 30);
        row.put("city", "Oslo");
        Observations.features(profile, inferred, row);
        Observations.features(profile, inferred, Map.of("age", "thirty", "city", 5));

        assertThat(profile.inputs().get("age")).isInstanceOf(NumericColumn.class);
        assertThat(profile.inputs().get("city")).isInstanceOf(CategoricalColumn.class);
        assertThat(profile.inputs().get("age").typeErrors()).isEqualTo(1);
        assertThat(profile.inputs().get("city").typeErrors()).isEqualTo(1);
        assertThat(profile.unknownFields()).isZero();
    }

    private void observe(Map<String, Object> features) {
        profile.countCall();
        Observations.features(profile, LOANS, features);
    }

    private static int lowerBound(double[] sorted, double value) {
        int i = Arrays.binarySearch(sorted, value);
        return i >= 0 ? i + 1 : -i - 1;
    }
}
