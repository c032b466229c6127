package dev.airlock.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.decision.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on an embedded SQLite file, plus what only SQLite has. */
class SqliteStoreTest extends StoreContract {
    @TempDir
    Path directory;

    @Override
    protected TestDatabase emptyDatabase() {
        return TestDatabase.sqlite(directory.resolve("nested/dirs/airlock.db"));
    }

    @Test
    void open_createsTheFileAndItsParentDirectories() {
        assertThat(directory.resolve("nested/dirs/airlock.db")).isRegularFile();
    }

    @Test
    void closing_checkpointsTheWriteAheadLogIntoTheDatabase() throws Exception {
        for (int i = 0; i < 300; i++) {
            store.decisionLog()
                    .append(decision(
                            "acme", Instant.parse("2026-03-01T00:00:00Z").plusSeconds(i), new Outcome.Answered()));
        }
        Path wal = directory.resolve("nested/dirs/airlock.db-wal");

        store.close();

        assertThat(!Files.exists(wal) || Files.size(wal) == 0)
                .as("the WAL is folded into the database on close")
                .isTrue();
        assertThat(reopen().decisionLog().recentDecisions("acme", 1000)).hasSize(300);
    }

    @Test
    void open_usesWriteAheadLogging() throws Exception {
        try (Connection connection = database().connect();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("PRAGMA journal_mode")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).isEqualToIgnoringCase("wal");
        }
    }
}
