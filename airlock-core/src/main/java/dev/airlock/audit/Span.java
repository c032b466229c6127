package dev.airlock.audit;

/**
 * Positions {@code first} to {@code last} of the audit log, both included.
 *
 * @param first the first position
 * @param last the last position, at least {@code first}
 */
public record Span(long first, long last) {
    public Span {
        if (first < 1 || last < first) {
            throw new IllegalArgumentException(
                    "a span runs first..last with 1 <= first <= last, not " + first + ".." + last);
        }
    }

    /** How many positions it holds. */
    public long size() {
        return last - first + 1;
    }

    @Override
    public String toString() {
        return first + ".." + last;
    }
}
