package dev.airlock.monitor.outcome;

/**
 * An estimate with its 95% confidence interval; all NaN when there is nothing to estimate from.
 *
 * @param value the point estimate
 * @param low the interval's lower end
 * @param high its upper end
 * @param n how many observations it rests on
 */
public record Interval(double value, double low, double high, long n) {
    static Interval none(long n) {
        return new Interval(Double.NaN, Double.NaN, Double.NaN, n);
    }

    public boolean known() {
        return !Double.isNaN(value);
    }
}
