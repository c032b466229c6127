package dev.airlock.store;

import dev.airlock.cost.TokenBuckets;
import java.time.Instant;
import org.jdbi.v3.core.Handle;

/**
 * Rate-limit token buckets in {@code rate_buckets}, shared by every node on the database. A take reads the bucket
 * under a row lock (PostgreSQL {@code FOR UPDATE}; SQLite's write lock), refills it for the time since it was last
 * touched and takes what it can. Time only moves a bucket forward ({@code updated_at} never goes back), so nodes whose
 * clocks differ by {@code d} can together take at most {@code d} worth of refill more than the limit.
 */
final class BucketTable implements TokenBuckets {
    private static final long MICROS = 1_000_000L;
    private static final long NANOS_PER_MINUTE = 60_000_000_000L;

    private final Database database;

    BucketTable(Database database) {
        this.database = database;
    }

    private record State(long microTokens, long updatedAt) {}

    @Override
    public long tryTake(String bucket, long perMinute, long amount, Instant now) {
        long at = EpochNanos.nanos(now, "now");
        return database.writes().inTransaction(h -> {
            State s = refilled(h, bucket, perMinute, at);
            long need = amount * MICROS;
            if (s.microTokens() < need) {
                return Math.max(1, (need - s.microTokens()) * (NANOS_PER_MINUTE / MICROS) / perMinute);
            }
            write(h, bucket, new State(s.microTokens() - need, s.updatedAt()));
            return 0L;
        });
    }

    @Override
    public void adjust(String bucket, long perMinute, long delta, Instant now) {
        long at = EpochNanos.nanos(now, "now");
        database.writes().useTransaction(h -> {
            State s = refilled(h, bucket, perMinute, at);
            long tokens = s.microTokens() + delta * MICROS;
            write(h, bucket, new State(Math.min(tokens, perMinute * MICROS), s.updatedAt()));
        });
    }

    /** The bucket locked, refilled up to {@code at}; a bucket never used starts full. */
    private State refilled(Handle h, String bucket, long perMinute, long at) {
        String select = "SELECT micro_tokens, updated_at FROM rate_buckets WHERE bucket = :bucket"
                + (database.shared() ? " FOR UPDATE" : "");
        State s = h.createQuery(select)
                .bind("bucket", bucket)
                .map((rs, ctx) -> new State(rs.getLong("micro_tokens"), rs.getLong("updated_at")))
                .findOne()
                .orElse(null);
        if (s == null) {
            h.createUpdate("INSERT INTO rate_buckets (bucket, micro_tokens, updated_at) VALUES (:bucket, :tokens, :at)"
                            + " ON CONFLICT (bucket) DO NOTHING")
                    .bind("bucket", bucket)
                    .bind("tokens", perMinute * MICROS)
                    .bind("at", at)
                    .execute();
            s = h.createQuery(select)
                    .bind("bucket", bucket)
                    .map((rs, ctx) -> new State(rs.getLong("micro_tokens"), rs.getLong("updated_at")))
                    .one();
        }
        long elapsed = Math.min(Math.max(0, at - s.updatedAt()), NANOS_PER_MINUTE);
        long refill = elapsed / 1000 * perMinute / 60; // micro-tokens: perMinute tokens per 60e9 ns
        long capacity = perMinute * MICROS;
        long tokens = s.microTokens() >= capacity ? s.microTokens() : Math.min(capacity, s.microTokens() + refill);
        return new State(tokens, Math.max(s.updatedAt(), at));
    }

    private static void write(Handle h, String bucket, State s) {
        h.createUpdate("UPDATE rate_buckets SET micro_tokens = :tokens, updated_at = :at WHERE bucket = :bucket")
                .bind("tokens", s.microTokens())
                .bind("at", s.updatedAt())
                .bind("bucket", bucket)
                .execute();
    }
}
