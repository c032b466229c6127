package dev.airlock.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
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
    void open_usesWriteAheadLogging() throws Exception {
        try (Connection connection = database().connect();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("PRAGMA journal_mode")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).isEqualToIgnoringCase("wal");
        }
    }
}
