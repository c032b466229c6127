package dev.airlock.store;

import dev.airlock.audit.AuditHash;
import org.jdbi.v3.core.Handle;

/** The last record of the chain, whichever table holds it. */
record ChainHead(long seq, String hash) {
    // Serialises chain appends across nodes sharing one PostgreSQL; any constant unique to Airlock will do.
    private static final long CHAIN_LOCK = 0x41_69_72_6c_6f_63_6bL;
    private static final String HEAD = "SELECT seq, record_hash FROM (SELECT seq, record_hash FROM decisions"
            + " WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1) d"
            + " UNION ALL SELECT seq, record_hash FROM (SELECT seq, record_hash FROM audit_events"
            + " ORDER BY seq DESC LIMIT 1) e";

    /**
     * Takes the chain lock (PostgreSQL; SQLite has a single writer already) and reads the head. Call inside the
     * appending transaction.
     */
    static ChainHead lockAndRead(Handle handle, Database database) {
        lock(handle, database);
        return read(handle);
    }

    /**
     * Takes the chain lock for the rest of the transaction (PostgreSQL; SQLite has a single writer already). Writers
     * that may create a data subject's key take it too, so two nodes never make two live keys for one subject.
     */
    static void lock(Handle handle, Database database) {
        if (database.shared()) {
            handle.createQuery("SELECT pg_advisory_xact_lock(:key)")
                    .bind("key", CHAIN_LOCK)
                    .map((rs, ctx) -> Boolean.TRUE)
                    .one();
        }
    }

    static ChainHead read(Handle handle) {
        return handle
                .createQuery(HEAD)
                .map((rs, ctx) -> new ChainHead(rs.getLong("seq"), rs.getString("record_hash")))
                .stream()
                .reduce((a, b) -> a.seq() >= b.seq() ? a : b)
                .orElse(new ChainHead(0, AuditHash.GENESIS));
    }
}
