package dev.airlock.monitor.drift;

import java.util.Locale;

/**
 * How one column is compared. A test gives a p-value and the column drifts when it is below the threshold; a
 * distance drifts when it is at or above the threshold. Default thresholds are those of the well-known open-source
 * baseline (Evidently): 0.05 for tests, 0.1 for distances.
 */
public enum DriftMethod {
    /** Two-sample Kolmogorov–Smirnov test on numbers. */
    KS("ks", true, 0.05, true, false),
    /** Chi-square test of homogeneity on category counts (2 × k table). */
    CHI_SQUARE("chisquare", true, 0.05, false, true),
    /** Two-proportion Z-test on a column of at most two categories. */
    Z("z", true, 0.05, false, true),
    /** Population stability index over binned shares. */
    PSI("psi", false, 0.1, true, true),
    /** Jensen–Shannon distance (natural logarithm) over binned shares. */
    JENSEN_SHANNON("jensenshannon", false, 0.1, true, true),
    /** Wasserstein-1 distance divided by the reference's standard deviation. */
    WASSERSTEIN("wasserstein", false, 0.1, true, false);

    private final String key;
    private final boolean test;
    private final double defaultThreshold;
    private final boolean numbers;
    private final boolean categories;

    DriftMethod(String key, boolean test, double defaultThreshold, boolean numbers, boolean categories) {
        this.key = key;
        this.test = test;
        this.defaultThreshold = defaultThreshold;
        this.numbers = numbers;
        this.categories = categories;
    }

    /** The name used in JSON, text and configuration ({@code ks}, {@code chisquare}, …). */
    public String key() {
        return key;
    }

    /** True for tests (p-value below threshold drifts), false for distances (at or above threshold drifts). */
    public boolean isTest() {
        return test;
    }

    public double defaultThreshold() {
        return defaultThreshold;
    }

    boolean appliesTo(boolean numeric) {
        return numeric ? numbers : categories;
    }

    boolean drifted(double score, double threshold) {
        return test ? score < threshold : score >= threshold;
    }

    /** The method of that key, or a clear error naming the keys there are. */
    public static DriftMethod of(String key) {
        String wanted = key.trim().toLowerCase(Locale.ROOT);
        for (DriftMethod m : values()) {
            if (m.key.equals(wanted) || m.name().equalsIgnoreCase(wanted)) {
                return m;
            }
        }
        throw new IllegalArgumentException("drift method '" + key
                + "' is not known; expected one of ks, chisquare, z, psi, jensenshannon, wasserstein");
    }
}
