package dev.airlock.examples.loanrisk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Draws applicants from a {@link Population}. Uses {@link Random}, whose algorithm the JDK specifies, and
 * {@link StrictMath}, so the same seed gives the same applicants on every JVM.
 */
final class ApplicantGenerator {
    private final Population population;
    private final Random random;

    ApplicantGenerator(Population population) {
        this.population = population;
        this.random = new Random(population.seed());
    }

    List<Applicant> draw(int count, String idPrefix) {
        List<Applicant> applicants = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            applicants.add(next(idPrefix + String.format("%06d", i)));
        }
        return applicants;
    }

    private Applicant next(String id) {
        double income = clamp(
                roundTo(StrictMath.exp(StrictMath.log(population.incomeMedian()) + 0.45 * random.nextGaussian()), 100),
                12_000,
                400_000);
        int employment = (int) Math.min(40, Math.floor(exponential(population.employmentMean())));
        int history = (int) Math.min(50, Math.floor(0.6 * employment + 2 + exponential(6.0)));
        double dti = clamp(thousandths(population.dtiMean() + population.dtiSd() * random.nextGaussian()), 0.01, 0.70);
        double ratio = 0.05 + (population.amountRatioMax() - 0.05) * random.nextDouble();
        double amount = clamp(roundTo(income * ratio, 250), 1_000, 60_000);
        int term = random.nextDouble() < (amount > 25_000 ? 0.5 : 0.3) ? 60 : 36;
        int delinquencies = Math.min(10, poisson(0.15 + 0.8 * Math.max(dti - 0.25, 0)));
        int openLines = Math.min(45, 1 + poisson(6 + 0.1 * history));
        String home = income > 80_000
                ? pick(Map.of("mortgage", 0.55, "own", 0.20, "rent", 0.25), "mortgage", "own", "rent")
                : pick(Map.of("mortgage", 0.35, "own", 0.15, "rent", 0.50), "mortgage", "own", "rent");
        String purpose = pick(population.purposes());
        String region = pick(population.regions());

        double z = LatentRisk.logOdds(
                        income, dti, employment, amount, term, history, delinquencies, openLines, home, purpose, region)
                + population.logitShift();
        double p = LatentRisk.sigmoid(z);
        boolean defaulted = random.nextDouble() < LatentRisk.sigmoid(z + LatentRisk.NOISE_SD * random.nextGaussian());
        return new Applicant(
                id,
                income,
                dti,
                employment,
                amount,
                term,
                history,
                delinquencies,
                openLines,
                home,
                purpose,
                region,
                p,
                defaulted);
    }

    private double exponential(double mean) {
        return -mean * StrictMath.log(1.0 - random.nextDouble());
    }

    /** Knuth's method: fine for the small rates used here. */
    private int poisson(double rate) {
        double limit = StrictMath.exp(-rate);
        double product = random.nextDouble();
        int k = 0;
        while (product > limit) {
            product *= random.nextDouble();
            k++;
        }
        return k;
    }

    private String pick(Map<String, Double> shares) {
        return pick(shares, shares.keySet().toArray(String[]::new));
    }

    /** Picks by share, walking the keys in the given order (map iteration order is not always stable). */
    private String pick(Map<String, Double> shares, String... order) {
        double u = random.nextDouble();
        double total = 0;
        for (String key : order) {
            total += shares.get(key);
        }
        double cumulative = 0;
        for (String key : order) {
            cumulative += shares.get(key) / total;
            if (u < cumulative) {
                return key;
            }
        }
        return order[order.length - 1];
    }

    private static double roundTo(double value, double step) {
        return Math.round(value / step) * step;
    }

    private static double thousandths(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private static double clamp(double value, double min, double max) {
        return Math.max(min, Math.min(max, value));
    }
}
