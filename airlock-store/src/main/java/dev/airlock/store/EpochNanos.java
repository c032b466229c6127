package dev.airlock.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Instants as epoch nanoseconds in a BIGINT: exact, sortable and the same on every database. The price is the
 * range, 1677-09-21 to 2262-04-11, which is checked on the way in.
 */
final class EpochNanos {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private EpochNanos() {}

    /** The instant as epoch nanoseconds, or null for null. */
    static Long of(Instant instant, String field) {
        if (instant == null) {
            return null;
        }
        try {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), NANOS_PER_SECOND), instant.getNano());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    field + " " + instant + " is outside the storable range 1677-09-21 to 2262-04-11", e);
        }
    }

    /** The instant in a column, or null if it is SQL NULL. */
    static Instant read(ResultSet row, String column) throws SQLException {
        long nanos = row.getLong(column);
        if (row.wasNull()) {
            return null;
        }
        return Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS_PER_SECOND), Math.floorMod(nanos, NANOS_PER_SECOND));
    }
}
