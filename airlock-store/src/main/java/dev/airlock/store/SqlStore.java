package dev.airlock.store;

import dev.airlock.audit.ChainLink;
import dev.airlock.auth.ApiKeyRecord;
import dev.airlock.decision.Decision;
import dev.airlock.decision.DecisionQuery;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** The store on any SQL database {@link Database} can open. */
final class SqlStore implements Store {
    private final Database database;
    private final KeyTable keys;
    private final DecisionTable decisions;
    private final GroupCommit appends;

    SqlStore(Database database) {
        this.database = database;
        this.keys = new KeyTable(database);
        this.decisions = new DecisionTable(database);
        this.appends = new GroupCommit(decisions);
    }

    @Override
    public void insertKey(ApiKeyRecord key) {
        keys.insert(key);
    }

    @Override
    public Optional<ApiKeyRecord> findKey(String id) {
        return keys.find(id);
    }

    @Override
    public List<ApiKeyRecord> listKeys() {
        return keys.list();
    }

    @Override
    public boolean revokeKey(String id, Instant at) {
        return keys.revoke(id, at);
    }

    @Override
    public void append(Decision decision) {
        appends.append(decision);
    }

    @Override
    public void searchDecisions(DecisionQuery query, Predicate<Decision> visitor) {
        decisions.search(query, visitor);
    }

    @Override
    public void forEachLink(Consumer<ChainLink> visitor) {
        decisions.forEachLink(visitor);
    }

    @Override
    public Optional<Decision> findDecision(String id) {
        return decisions.find(id);
    }

    @Override
    public List<Decision> recentDecisions(String tenant, int limit) {
        return decisions.recent(tenant, limit);
    }

    @Override
    public void close() {
        appends.close();
        database.close();
    }
}
