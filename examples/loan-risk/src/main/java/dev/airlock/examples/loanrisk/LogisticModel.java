package dev.airlock.examples.loanrisk;

/**
 * A fitted logistic regression: {@code P(default) = sigmoid(intercept + weights . x)}.
 *
 * @param weights one per encoded column
 * @param intercept the log-odds of default when every encoded column is zero
 */
record LogisticModel(double[] weights, double intercept) {
    double logit(double[] x) {
        double z = intercept;
        for (int i = 0; i < weights.length; i++) {
            z += weights[i] * x[i];
        }
        return z;
    }

    double probability(double[] x) {
        return 1.0 / (1.0 + StrictMath.exp(-logit(x)));
    }
}
