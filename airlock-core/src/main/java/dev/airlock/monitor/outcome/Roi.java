package dev.airlock.monitor.outcome;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The business case against production, per month (30 days). Both sides use one formula, value = (accuracy − KPI
 * baseline) × value per correct decision × decisions per month:
 *
 * <ul>
 *   <li>promised: at the production-adjusted expected accuracy and the case's monthly volume;
 *   <li>realised: at the live accuracy from labels and the volume actually served, scaled from the window to 30 days
 *       ({@code predictions × 30 d / window}); its interval uses the ends of the accuracy's Wilson interval.
 * </ul>
 *
 * @param expectedAccuracy poc_accuracy × (1 − production_discount)
 * @param kpiBaseline the baseline accuracy
 * @param valuePerCorrectUsd value per correct decision
 * @param promisedMonthlyVolume the case's decisions per month
 * @param promisedMonthlyValueUsd (expected − baseline) × value × promised volume
 * @param liveAccuracy accuracy from labels, with its interval
 * @param actualMonthlyVolume predictions in the window scaled to 30 days
 * @param realisedMonthlyValueUsd (live − baseline) × value × actual volume, NaN without labels
 * @param realisedLowUsd the same at the accuracy interval's lower end
 * @param realisedHighUsd the same at its upper end
 */
public record Roi(
        double expectedAccuracy,
        double kpiBaseline,
        double valuePerCorrectUsd,
        long promisedMonthlyVolume,
        double promisedMonthlyValueUsd,
        Interval liveAccuracy,
        double actualMonthlyVolume,
        double realisedMonthlyValueUsd,
        double realisedLowUsd,
        double realisedHighUsd) {
    static final Duration MONTH = Duration.ofDays(30);

    /** The comparison, or null when the case lacks any of its inputs. */
    static @Nullable Roi of(BusinessCase business, Interval liveAccuracy, long predictions, Duration window) {
        Double expected = business.expectedAccuracy();
        Double baseline = business.kpiBaseline();
        Double value = business.valuePerCorrectUsd();
        Long volume = business.monthlyVolume();
        if (expected == null || baseline == null || value == null || volume == null) {
            return null;
        }
        double actualVolume = predictions * ((double) MONTH.toNanos() / window.toNanos());
        return new Roi(
                expected,
                baseline,
                value,
                volume,
                (expected - baseline) * value * volume,
                liveAccuracy,
                actualVolume,
                (liveAccuracy.value() - baseline) * value * actualVolume,
                (liveAccuracy.low() - baseline) * value * actualVolume,
                (liveAccuracy.high() - baseline) * value * actualVolume);
    }
}
