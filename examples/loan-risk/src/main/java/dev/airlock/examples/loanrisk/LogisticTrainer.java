package dev.airlock.examples.loanrisk;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;
import java.util.ArrayList;
import java.util.List;

/**
 * L2-regularised logistic regression by liblinear's trust-region Newton method (solver {@code L2R_LR}): full batch,
 * no randomness, so the same rows give the same weights every run. It minimises
 * {@code ||w||^2 / 2 + C * sum(log-loss)}, leaving the intercept unregularised.
 */
final class LogisticTrainer {
    static final double C = 1.0;
    static final double TOLERANCE = 1e-6;
    static final int MAX_ITERATIONS = 1_000;

    private LogisticTrainer() {}

    static LogisticModel fit(double[][] x, boolean[] defaulted) {
        return fit(x, defaulted, C);
    }

    /** The same with another C: smaller is stronger regularisation. */
    static LogisticModel fit(double[][] x, boolean[] defaulted, double c) {
        int columns = x[0].length;
        Problem problem = new Problem();
        problem.l = x.length;
        problem.n = columns + 1; // the last feature is the constant 1 that carries the intercept
        problem.bias = 1.0;
        problem.x = new Feature[x.length][];
        problem.y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            problem.x[i] = nodes(x[i]);
            problem.y[i] = defaulted[i] ? 1 : 0;
        }
        Parameter parameter = new Parameter(SolverType.L2R_LR, c, TOLERANCE, MAX_ITERATIONS);
        parameter.setRegularizeBias(false);
        Linear.disableDebugOutput();
        Model model = Linear.train(problem, parameter);

        // liblinear scores its first label, which is whichever class the first row has
        double sign = model.getLabels()[0] == 1 ? 1.0 : -1.0;
        double[] w = model.getFeatureWeights();
        double[] weights = new double[columns];
        for (int j = 0; j < columns; j++) {
            weights[j] = sign * w[j] + 0.0; // + 0.0 turns -0.0 (an unseen column, sign-flipped) into 0.0
        }
        return new LogisticModel(weights, sign * w[columns]);
    }

    private static Feature[] nodes(double[] row) {
        List<Feature> nodes = new ArrayList<>();
        for (int j = 0; j < row.length; j++) {
            if (row[j] != 0.0) {
                nodes.add(new FeatureNode(j + 1, row[j]));
            }
        }
        nodes.add(new FeatureNode(row.length + 1, 1.0));
        return nodes.toArray(Feature[]::new);
    }
}
