package dev.airlock.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The connections behind a store, chosen by JDBC URL, over a schema that Flyway has brought up to date. Writes
 * and reads may go through different pools: SQLite takes one writer at a time anyway, so it gets a single
 * writer connection (callers queue for it in the pool) and a few read-only connections that WAL lets run
 * alongside.
 */
final class Database implements AutoCloseable {
    private static final String SQLITE = "jdbc:sqlite:";
    private static final String POSTGRES = "jdbc:postgresql:";
    private static final int SQLITE_READERS = 4;
    private static final int POSTGRES_POOL_SIZE = 10;
    private static final int BUSY_TIMEOUT_MILLIS = 10_000;

    private final Jdbi writes;
    private final Jdbi reads;
    private final List<HikariDataSource> pools;

    private final boolean shared;

    private Database(Jdbi writes, Jdbi reads, List<HikariDataSource> pools, boolean shared) {
        this.writes = writes;
        this.reads = reads;
        this.pools = pools;
        this.shared = shared;
    }

    /**
     * How many long reads (audit log scans) may run at once without starving the node's own queries: half the
     * read connections.
     */
    int parallelReads() {
        return Math.max(1, (shared ? POSTGRES_POOL_SIZE : SQLITE_READERS) / 2);
    }

    /** Whether several Airlock nodes may write this database at once (PostgreSQL), so writers must take a lock. */
    boolean shared() {
        return shared;
    }

    static Database open(@Nullable String url, @Nullable String user, @Nullable String password) {
        if (url != null && url.startsWith(SQLITE)) {
            return sqlite(url);
        }
        if (url != null && url.startsWith(POSTGRES)) {
            return postgres(url, user, password);
        }
        throw new IllegalArgumentException("database URL '" + redact(url)
                + "' is not supported; expected jdbc:sqlite:<file> or jdbc:postgresql://<host>[:<port>]/<database>");
    }

    Jdbi writes() {
        return writes;
    }

    Jdbi reads() {
        return reads;
    }

    @Override
    public void close() {
        // Readers first, so that the writer can fold the whole write-ahead log into the database file (SQLite).
        for (int i = pools.size() - 1; i >= 0; i--) {
            if (i == 0 && !shared && !pools.get(0).isClosed()) {
                foldWriteAheadLog();
            }
            pools.get(i).close();
        }
    }

    /**
     * Makes deleted bytes (an erased subject key) unrecoverable from the database files as far as the engine allows:
     * SQLite folds and truncates the write-ahead log (secure_delete zeroes freed content); PostgreSQL rewrites the
     * subject key table so no dead row version keeps the old key.
     */
    void scrubFreedPages() {
        if (shared) {
            writes.useHandle(h -> h.execute("VACUUM FULL subject_keys"));
        } else {
            foldWriteAheadLog();
        }
    }

    private void foldWriteAheadLog() {
        try {
            writes.useHandle(h ->
                    h.createQuery("PRAGMA wal_checkpoint(TRUNCATE)").mapToMap().one());
        } catch (RuntimeException e) {
            // Nothing is lost: SQLite replays the log the next time the file is opened.
        }
    }

    private static Database sqlite(String url) {
        createPrivateFile(url, sqliteFile(url));
        HikariDataSource writer = pool("airlock-sqlite-writer", sqliteSource(url, false), 1, false);
        try {
            migrate(writer, "BLOB");
            HikariDataSource readers = pool("airlock-sqlite-reader", sqliteSource(url, true), SQLITE_READERS, true);
            return new Database(Jdbi.create(writer), Jdbi.create(readers), List.of(writer, readers), false);
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
    }

    private static Database postgres(String url, @Nullable String user, @Nullable String password) {
        var config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setPoolName("airlock-postgres");
        config.setMaximumPoolSize(POSTGRES_POOL_SIZE);
        HikariDataSource pool = new HikariDataSource(config);
        try {
            migrate(pool, "BYTEA");
            Jdbi jdbi = Jdbi.create(pool);
            return new Database(jdbi, jdbi, List.of(pool), true);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** Brings the schema up to date; {@code blob} is the dialect's type for raw bytes. */
    private static void migrate(DataSource dataSource, String blob) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .placeholders(Map.of("blob", blob))
                .load()
                .migrate();
    }

    private static HikariDataSource pool(String name, DataSource connections, int size, boolean readOnly) {
        var config = new HikariConfig();
        // Must match how SQLite opened the connection; sqlite-jdbc refuses to change it afterwards.
        config.setReadOnly(readOnly);
        config.setDataSource(connections);
        config.setPoolName(name);
        config.setMaximumPoolSize(size);
        return new HikariDataSource(config);
    }

    private static DataSource sqliteSource(String url, boolean readOnly) {
        var config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.enforceForeignKeys(true);
        if (readOnly) {
            config.setReadOnly(true);
        } else {
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            // Erased subject keys and purged content are overwritten with zeros, not merely unlinked.
            config.setPragma(SQLiteConfig.Pragma.SECURE_DELETE, "true");
            config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            // A write transaction takes the write lock when it begins: when another process (a CLI command, a test)
            // writes meanwhile, it waits out the busy timeout instead of failing with SQLITE_BUSY_SNAPSHOT when a read
            // inside it turns into a write.
            config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        }
        var source = new SQLiteDataSource(config);
        source.setUrl(url);
        return source;
    }

    /** The file part of a SQLite URL: {@code jdbc:sqlite:[file:]<path>[?<options>]}. */
    private static String sqliteFile(String url) {
        String file = url.substring(SQLITE.length());
        file = file.startsWith("file:") ? file.substring("file:".length()) : file;
        int query = file.indexOf('?');
        file = query < 0 ? file : file.substring(0, query);
        if (file.isBlank() || file.contains(":memory:") || url.contains("mode=memory")) {
            throw new IllegalArgumentException("database URL '" + url
                    + "' names no file; an Airlock store needs a SQLite file, e.g. jdbc:sqlite:.airlock/airlock.db");
        }
        return file;
    }

    /**
     * Makes the database file owner-only before SQLite opens it (SQLite gives its -wal, -shm and -journal files the
     * database file's permissions), in owner-only folders.
     */
    private static void createPrivateFile(String url, String file) {
        Path parent = Objects.requireNonNull(
                Path.of(file).toAbsolutePath().getParent(), "a database file's absolute path has a parent folder");
        try {
            PrivateFiles.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create directory " + parent + " for database " + url, e);
        }
        try {
            PrivateFiles.createFile(Path.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the database file " + file + " for " + url, e);
        }
    }

    /** The URL without credentials, for error messages. */
    private static @Nullable String redact(@Nullable String url) {
        return url == null
                ? null
                : url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//[^/@]+@", "//***@");
    }
}
