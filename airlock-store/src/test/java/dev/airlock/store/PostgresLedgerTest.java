package dev.airlock.store;

/** The ledger contract on PostgreSQL, where nodes share it. Needs a server: see {@link TestPostgres}. */
class PostgresLedgerTest extends LedgerContract {
    @Override
    protected TestDatabase emptyDatabase() throws Exception {
        return TestPostgres.fromEnvironment().freshSchema();
    }
}
