package dev.airlock.store;

import dev.airlock.audit.AuditSigner;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A database for tests: where it is, and what closing it tidies up (a PostgreSQL schema is dropped; a SQLite
 * file is left to its temporary directory).
 *
 * @param url the JDBC URL to pass to {@link Store#open}
 * @param user the user, or null
 * @param password the password, or null
 * @param cleanup run on {@link #close()}
 */
public record TestDatabase(String url, String user, String password, Cleanup cleanup) implements AutoCloseable {

    /** What closing a test database does. */
    @FunctionalInterface
    public interface Cleanup {
        void run() throws SQLException;
    }

    /** A SQLite database in {@code file}, created on first open. */
    public static TestDatabase sqlite(Path file) {
        return new TestDatabase("jdbc:sqlite:" + file, null, null, () -> {});
    }

    /** The signing key test stores seal their records with, as a node does with its key file. */
    public static final AuditSigner SIGNER = AuditSigner.generate();

    /** Opens a {@link Store} on this database that seals what it writes with {@link #SIGNER}, as a node does. */
    public Store open() {
        Store store = openUnsealed();
        store.auditChain().sealWith(SIGNER);
        return store;
    }

    /** Opens a {@link Store} that writes without the signing key, as a tool without it (or an older version) would. */
    public Store openUnsealed() {
        return Store.open(url, user, password);
    }

    /** A plain JDBC connection, for looking under the store. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    @Override
    public void close() throws SQLException {
        cleanup.run();
    }
}
