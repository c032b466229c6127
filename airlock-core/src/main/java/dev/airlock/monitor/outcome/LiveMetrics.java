package dev.airlock.monitor.outcome;

import java.util.List;

/**
 * A model's quality in production, from the labelled predictions of one window, each metric with its 95% interval:
 * accuracy, precision and recall (of the positive class) with Wilson intervals, ROC AUC over the kept positive-class
 * probabilities with DeLong's interval, and the expected calibration error over {@value #CALIBRATION_BINS}
 * equal-width probability bins with a bootstrap interval.
 *
 * @param predictions predictions made in the window
 * @param labelled those of them with a label
 * @param accuracy labelled predictions that matched their label
 * @param precision of those predicted positive, the share actually positive
 * @param recall of those actually positive, the share predicted positive
 * @param auc how well the probability ranks positives above negatives (NaN with one class only)
 * @param calibrationError expected calibration error: how far the probabilities are from the observed rates
 */
public record LiveMetrics(
        long predictions,
        long labelled,
        Interval accuracy,
        Interval precision,
        Interval recall,
        Interval auc,
        Interval calibrationError) {
    public static final int CALIBRATION_BINS = 10;

    /** The metrics of these predictions (the unlabelled ones count only in {@code predictions}). */
    public static LiveMetrics of(List<KeptPrediction> predictions) {
        List<KeptPrediction> labelled =
                predictions.stream().filter(KeptPrediction::isLabelled).toList();
        long correct = 0;
        long truePositives = 0;
        long predictedPositives = 0;
        long actualPositives = 0;
        double[] probabilities = new double[labelled.size()];
        boolean[] positive = new boolean[labelled.size()];
        for (int i = 0; i < labelled.size(); i++) {
            KeptPrediction p = labelled.get(i);
            correct += p.correct() ? 1 : 0;
            predictedPositives += p.predictedPositive() ? 1 : 0;
            actualPositives += p.actuallyPositive() ? 1 : 0;
            truePositives += p.predictedPositive() && p.actuallyPositive() ? 1 : 0;
            probabilities[i] = p.positiveProbability();
            positive[i] = p.actuallyPositive();
        }
        return new LiveMetrics(
                predictions.size(),
                labelled.size(),
                Estimates.wilson(correct, labelled.size()),
                Estimates.wilson(truePositives, predictedPositives),
                Estimates.wilson(truePositives, actualPositives),
                Estimates.aucDeLong(probabilities, positive),
                Estimates.calibrationError(probabilities, positive, CALIBRATION_BINS));
    }
}
