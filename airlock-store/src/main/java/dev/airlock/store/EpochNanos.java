package dev.airlock.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Instants as epoch nanoseconds in a BIGINT: exact, sortable and the same on every database. The price is the
 * range, 1677-09-21 to 2262-04-11, which is checked on the way in.
 */
final class EpochNanos {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private EpochNanos() {}

    /** The instant as epoch nanoseconds, or null for null. */
    static @Nullable Long of(@Nullable Instant instant, String field) {
        return instant == null ? null : nanos(instant, field);
    }

    /** The instant as epoch nanoseconds. */
    static long nanos(Instant instant, String field) {
        try {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), NANOS_PER_SECOND), instant.getNano());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    field + " " + instant + " is outside the storable range 1677-09-21 to 2262-04-11", e);
        }
    }

    /** The instant in a NOT NULL column. */
    static Instant required(ResultSet row, String column) throws SQLException {
        return Objects.requireNonNull(read(row, column), () -> "column " + column + " is declared NOT NULL");
    }

    /** The instant in a column, or null if it is SQL NULL. */
    static @Nullable Instant read(ResultSet row, String column) throws SQLException {
        long nanos = row.getLong(column);
        if (row.wasNull()) {
            return null;
        }
        return Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS_PER_SECOND), Math.floorMod(nanos, NANOS_PER_SECOND));
    }
}
