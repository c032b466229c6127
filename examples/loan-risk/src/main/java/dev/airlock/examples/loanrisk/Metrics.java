package dev.airlock.examples.loanrisk;

import dev.airlock.evidence.Evaluation;

/** Discrimination and calibration of probability scores against 0/1 outcomes. */
final class Metrics {
    private Metrics() {}

    /** Area under the ROC curve: the chance a random defaulter scores above a random repayer (ties count half). */
    static double auc(double[] scores, boolean[] positive) {
        return Evaluation.auc(scores, positive);
    }

    /** Mean negative log-likelihood, probabilities clipped to [1e-15, 1 - 1e-15]. */
    static double logLoss(double[] probabilities, boolean[] positive) {
        double sum = 0;
        for (int i = 0; i < probabilities.length; i++) {
            double p = Math.min(Math.max(probabilities[i], 1e-15), 1 - 1e-15);
            sum -= positive[i] ? StrictMath.log(p) : StrictMath.log(1 - p);
        }
        return sum / probabilities.length;
    }

    static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    static double rate(boolean[] flags) {
        int count = 0;
        for (boolean f : flags) {
            count += f ? 1 : 0;
        }
        return (double) count / flags.length;
    }
}
