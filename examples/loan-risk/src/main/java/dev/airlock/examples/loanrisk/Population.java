package dev.airlock.examples.loanrisk;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who applies for loans, and in what economy: the parameters of the generating process. The training population is
 * the one the model learns from; the production population is the shifted one it meets after launch.
 *
 * @param name a label for reports
 * @param seed the random seed; the same seed gives the same applicants, byte for byte
 * @param incomeMedian the median annual income (log-normal, log-sd 0.45)
 * @param employmentMean the mean years with the current employer (exponential, capped at 40)
 * @param dtiMean the mean debt-to-income ratio (normal, sd {@code dtiSd}, clipped to 0.01..0.70)
 * @param dtiSd the debt-to-income spread
 * @param amountRatioMax loan amounts are income times a uniform ratio in 0.05..amountRatioMax
 * @param purposes purpose to its share of applications
 * @param regions region to its share of applications
 * @param logitShift added to every applicant's true log-odds of default: the economy's effect
 */
record Population(
        String name,
        long seed,
        double incomeMedian,
        double employmentMean,
        double dtiMean,
        double dtiSd,
        double amountRatioMax,
        Map<String, Double> purposes,
        Map<String, Double> regions,
        double logitShift) {

    static final Population TRAINING = new Population(
            "training",
            20_240_611L,
            58_000,
            6.0,
            0.27,
            0.11,
            0.45,
            shares(
                    "debt_consolidation", 0.45,
                    "home_improvement", 0.12,
                    "car", 0.12,
                    "small_business", 0.06,
                    "medical", 0.07,
                    "education", 0.06,
                    "other", 0.12),
            shares("north", 0.25, "south", 0.30, "east", 0.20, "west", 0.25),
            0.0);

    /**
     * A year after launch: lower incomes, shorter employment, more debt, larger loans, more small-business and medical
     * loans, three purposes the model never saw, a new region, and a slightly worse economy.
     */
    static final Population PRODUCTION = new Population(
            "production",
            20_250_301L,
            50_000,
            4.5,
            0.31,
            0.12,
            0.55,
            shares(
                    "debt_consolidation", 0.36,
                    "home_improvement", 0.08,
                    "car", 0.10,
                    "small_business", 0.12,
                    "medical", 0.11,
                    "education", 0.05,
                    "other", 0.08,
                    "wedding", 0.04,
                    "vacation", 0.03,
                    "renewable_energy", 0.03),
            shares("north", 0.22, "south", 0.33, "east", 0.20, "west", 0.19, "central", 0.06),
            0.10);

    private static Map<String, Double> shares(Object... pairs) {
        Map<String, Double> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (Double) pairs[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}
