package dev.airlock.examples.loanrisk;

import java.util.Map;

/**
 * The true process behind defaults, which the model never sees: log-odds that are linear in the transformed features,
 * plus two interactions the model cannot express, plus unobserved noise. README.md states the same formula.
 */
final class LatentRisk {
    static final double INTERCEPT = -2.5;
    static final double NOISE_SD = 0.6;

    private static final Map<String, Double> HOME = Map.of("rent", 0.25, "mortgage", 0.0, "own", -0.20);
    private static final Map<String, Double> PURPOSE = Map.of(
            "debt_consolidation", 0.15,
            "home_improvement", -0.10,
            "car", -0.25,
            "small_business", 0.75,
            "medical", 0.40,
            "education", 0.25,
            "other", 0.10,
            "wedding", 0.20,
            "vacation", 0.35,
            "renewable_energy", -0.05);
    private static final Map<String, Double> REGION =
            Map.of("north", -0.05, "south", 0.12, "east", 0.05, "west", -0.10, "central", 0.0);

    private LatentRisk() {}

    /** The applicant's log-odds of default before noise and before the economy's shift. */
    static double logOdds(
            double income,
            double dti,
            int employmentYears,
            double amount,
            int termMonths,
            int creditHistoryYears,
            int delinquencies,
            int openLines,
            String home,
            String purpose,
            String region) {
        double z = INTERCEPT
                - 0.85 * StrictMath.log(income / 58_000)
                + 5.0 * (dti - 0.27)
                + 0.45 * StrictMath.log(amount / 10_000)
                + (termMonths == 60 ? 0.30 : 0.0)
                - 0.06 * Math.min(employmentYears, 10)
                - 0.03 * Math.min(creditHistoryYears, 25)
                + 0.55 * Math.min(delinquencies, 4)
                + 0.05 * Math.max(openLines - 12, 0)
                + HOME.get(home)
                + PURPOSE.get(purpose)
                + REGION.get(region);
        if (amount / income > 0.35) {
            z += 1.2; // loan-to-income stress: the model only sees amount and income separately
        }
        if (dti > 0.40 && delinquencies >= 1) {
            z += 0.6; // already stretched and already late
        }
        return z;
    }

    static double sigmoid(double z) {
        return 1.0 / (1.0 + StrictMath.exp(-z));
    }
}
