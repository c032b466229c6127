package dev.airlock.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The ledger contract on SQLite (what a single node would use if it kept its budgets in the store). */
class SqliteLedgerTest extends LedgerContract {
    @TempDir
    Path directory;

    @Override
    protected TestDatabase emptyDatabase() {
        return TestDatabase.sqlite(directory.resolve("airlock.db"));
    }
}
