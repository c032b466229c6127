package dev.airlock.store;

import dev.airlock.audit.AuditSigner;
import dev.airlock.audit.Seal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * Seals each batch of audit records in the transaction that writes it (see {@link Seal}), once the store was given
 * the signing key; before that, records are written unsealed and no checkpoint is signed over them.
 */
final class Seals {
    private final Database database;
    private volatile @Nullable AuditSigner signer;

    Seals(Database database) {
        this.database = database;
    }

    void sealWith(AuditSigner signer) {
        this.signer = signer;
    }

    /** Seals records {@code first..last} (links {@code previous} to {@code head}), inside the writing transaction. */
    void seal(Handle handle, long first, long last, String previous, String head) {
        AuditSigner key = signer;
        if (key == null) {
            return;
        }
        Seal seal = key.seal(first, last, previous, head, Instant.now());
        handle.createUpdate(
                        "INSERT INTO audit_seals (first_seq, last_seq, prev_link, last_link, sealed_at, key_id, mac)"
                                + " VALUES (:first, :last, :prev, :head, :at, :key, :mac)")
                .bind("first", seal.first())
                .bind("last", seal.last())
                .bind("prev", seal.previous())
                .bind("head", seal.head())
                .bind("at", EpochNanos.of(seal.sealedAt(), "sealedAt"))
                .bind("key", seal.keyId())
                .bind("mac", seal.mac())
                .execute();
    }

    /** The seals whose last position is after {@code after}, by first position. */
    List<Seal> after(long after) {
        return database.reads()
                .withHandle(handle -> handle
                        .createQuery("SELECT * FROM audit_seals WHERE last_seq > :after ORDER BY first_seq")
                        .bind("after", after)
                        .map((rs, ctx) -> {
                            long first = rs.getLong("first_seq");
                            long last = rs.getLong("last_seq");
                            String previous = rs.getString("prev_link");
                            String head = rs.getString("last_link");
                            String key = rs.getString("key_id");
                            if (first < 1 || last < first || previous == null || head == null || key == null) {
                                return null; // covers nothing: the records it names count as unsigned
                            }
                            return new Seal(
                                    first,
                                    last,
                                    previous,
                                    head,
                                    EpochNanos.required(rs, "sealed_at"),
                                    key,
                                    rs.getString("mac"));
                        })
                        .stream()
                        .filter(Objects::nonNull)
                        .toList());
    }
}
