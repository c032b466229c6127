package dev.airlock.store;

import java.sql.SQLException;

/**
 * The store contract on PostgreSQL, each test in a schema of its own. Needs a server: see {@link TestPostgres};
 * without one every test is skipped, saying how to run them (or fails, when {@code CI} is set).
 */
class PostgresStoreTest extends StoreContract {

    @Override
    protected TestDatabase emptyDatabase() throws SQLException {
        return TestPostgres.fromEnvironment().freshSchema();
    }
}
