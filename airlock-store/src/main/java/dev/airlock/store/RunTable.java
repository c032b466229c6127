package dev.airlock.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.decision.Principal;
import dev.airlock.decision.Role;
import dev.airlock.workflow.Run;
import dev.airlock.workflow.RunEvent;
import dev.airlock.workflow.RunStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The {@code workflow_runs} and {@code workflow_events} tables. A checkpoint is one conditional update (on the status
 * the runner last saw), a claim one conditional update on the lease, so two nodes never both run a run.
 */
final class RunTable implements RunStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, long[]>> AGENTS = new TypeReference<>() {};
    private static final String COLUMNS = "id, tenant, key_id, role, workflow, status, input, subject, pending, detail,"
            + " steps, tokens, cost_nano_usd, agents, trace_id, created_at, updated_at, ended_at, owner, lease_until";

    private final Database database;

    RunTable(Database database) {
        this.database = database;
    }

    @Override
    public void create(Run run) {
        database.writes()
                .useHandle(h -> bind(
                                h.createUpdate("INSERT INTO workflow_runs (" + COLUMNS + ") VALUES ("
                                        + COLUMNS.replaceAll("\\s*(\\w+)", ":$1") + ")"),
                                run)
                        .execute());
    }

    @Override
    public Optional<Run> find(String id) {
        return database.reads()
                .withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM workflow_runs WHERE id = :id")
                        .bind("id", id)
                        .map(RunTable::run)
                        .findOne());
    }

    @Override
    public List<Run> list(String tenant, int limit) {
        return database.reads()
                .withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM workflow_runs WHERE tenant = :tenant"
                                + " ORDER BY created_at DESC, id DESC LIMIT :limit")
                        .bind("tenant", tenant)
                        .bind("limit", limit)
                        .map(RunTable::run)
                        .list());
    }

    @Override
    public boolean save(Run run, Run.Status expected) {
        return database.writes()
                        .withHandle(h -> bind(
                                        h.createUpdate("UPDATE workflow_runs SET status = :status, pending = :pending,"
                                                + " detail = :detail, steps = :steps, tokens = :tokens,"
                                                + " cost_nano_usd = :cost_nano_usd, agents = :agents,"
                                                + " updated_at = :updated_at, ended_at = :ended_at, owner = :owner,"
                                                + " lease_until = :lease_until WHERE id = :id AND status = :expected"),
                                        run)
                                .bind("expected", expected.id())
                                .execute())
                == 1;
    }

    @Override
    public RunEvent append(RunEvent event) {
        return database.writes().inTransaction(h -> {
            long seq = h.createQuery("SELECT COALESCE(MAX(seq), 0) + 1 FROM workflow_events WHERE run_id = :run")
                    .bind("run", event.runId())
                    .mapTo(Long.class)
                    .one();
            h.createUpdate("INSERT INTO workflow_events (run_id, seq, at, type, step, detail, data, decision_id)"
                            + " VALUES (:run, :seq, :at, :type, :step, :detail, :data, :decision)")
                    .bind("run", event.runId())
                    .bind("seq", seq)
                    .bind("at", EpochNanos.nanos(event.at(), "at"))
                    .bind("type", event.type())
                    .bind("step", event.step())
                    .bind("detail", event.detail())
                    .bind("data", event.data())
                    .bind("decision", event.decisionId())
                    .execute();
            return new RunEvent(
                    event.runId(),
                    seq,
                    event.at(),
                    event.type(),
                    event.step(),
                    event.detail(),
                    event.data(),
                    event.decisionId());
        });
    }

    @Override
    public List<RunEvent> events(String runId, long afterSeq, int limit) {
        return database.reads()
                .withHandle(h -> h.createQuery(
                                "SELECT run_id, seq, at, type, step, detail, data, decision_id"
                                        + " FROM workflow_events WHERE run_id = :run AND seq > :after ORDER BY seq LIMIT :limit")
                        .bind("run", runId)
                        .bind("after", afterSeq)
                        .bind("limit", limit)
                        .map((row, ctx) -> new RunEvent(
                                row.getString("run_id"),
                                row.getLong("seq"),
                                EpochNanos.required(row, "at"),
                                row.getString("type"),
                                row.getString("step"),
                                row.getString("detail"),
                                row.getString("data"),
                                row.getString("decision_id")))
                        .list());
    }

    @Override
    public boolean claim(String runId, String node, Instant now, Instant until) {
        return database.writes()
                        .withHandle(h -> h.createUpdate("UPDATE workflow_runs SET owner = :node, lease_until = :until"
                                        + " WHERE id = :id AND status = 'running' AND (owner IS NULL OR owner = :node"
                                        + " OR lease_until IS NULL OR lease_until < :now)")
                                .bind("id", runId)
                                .bind("node", node)
                                .bind("until", EpochNanos.nanos(until, "until"))
                                .bind("now", EpochNanos.nanos(now, "now"))
                                .execute())
                == 1;
    }

    @Override
    public List<String> claimable(String node, Instant now, int limit) {
        return database.reads()
                .withHandle(
                        h -> h.createQuery("SELECT id FROM workflow_runs WHERE status = 'running' AND (owner IS NULL"
                                        + " OR owner = :node OR lease_until IS NULL OR lease_until < :now)"
                                        + " ORDER BY created_at LIMIT :limit")
                                .bind("node", node)
                                .bind("now", EpochNanos.nanos(now, "now"))
                                .bind("limit", limit)
                                .mapTo(String.class)
                                .list());
    }

    @Override
    public int prune(Instant before) {
        long cutoff = EpochNanos.nanos(before, "before");
        return database.writes().inTransaction(h -> {
            h.createUpdate("DELETE FROM workflow_events WHERE run_id IN (SELECT id FROM workflow_runs"
                            + " WHERE ended_at IS NOT NULL AND ended_at < :cutoff)")
                    .bind("cutoff", cutoff)
                    .execute();
            return h.createUpdate("DELETE FROM workflow_runs WHERE ended_at IS NOT NULL AND ended_at < :cutoff")
                    .bind("cutoff", cutoff)
                    .execute();
        });
    }

    private static <S extends SqlStatement<S>> S bind(S s, Run r) {
        Map<String, long[]> agents = new LinkedHashMap<>();
        r.agents()
                .forEach((name, spent) ->
                        agents.put(name, new long[] {spent.steps(), spent.tokens(), Money.nanos(spent.costUsd())}));
        try {
            return s.bind("id", r.id())
                    .bind("tenant", r.tenant())
                    .bind("key_id", r.startedBy().keyId())
                    .bind("role", r.startedBy().role().id())
                    .bind("workflow", r.workflow())
                    .bind("status", r.status().id())
                    .bind("input", r.input())
                    .bind("subject", r.subject())
                    .bind("pending", r.pending())
                    .bind("detail", r.detail())
                    .bind("steps", (long) r.spent().steps())
                    .bind("tokens", r.spent().tokens())
                    .bind("cost_nano_usd", Money.nanos(r.spent().costUsd()))
                    .bind("agents", JSON.writeValueAsString(agents))
                    .bind("trace_id", r.traceId())
                    .bind("created_at", EpochNanos.nanos(r.createdAt(), "createdAt"))
                    .bind("updated_at", EpochNanos.nanos(r.updatedAt(), "updatedAt"))
                    .bind("ended_at", EpochNanos.of(r.endedAt(), "endedAt"))
                    .bind("owner", r.owner())
                    .bind("lease_until", EpochNanos.of(r.leaseUntil(), "leaseUntil"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Run run(ResultSet row, StatementContext ctx) throws SQLException {
        Map<String, Run.Spent> agents = new LinkedHashMap<>();
        try {
            JSON.readValue(row.getString("agents"), AGENTS)
                    .forEach((name, v) -> agents.put(name, new Run.Spent((int) v[0], v[1], Money.usd(v[2]))));
        } catch (IOException e) {
            throw new SQLException("run " + row.getString("id") + ": unreadable agents column", e);
        }
        return new Run(
                row.getString("id"),
                row.getString("tenant"),
                new Principal(row.getString("tenant"), row.getString("key_id"), Role.parse(row.getString("role"))),
                row.getString("workflow"),
                Run.Status.parse(row.getString("status")),
                row.getString("input"),
                row.getString("subject"),
                row.getString("pending"),
                row.getString("detail"),
                new Run.Spent(
                        (int) row.getLong("steps"), row.getLong("tokens"), Money.usd(row.getLong("cost_nano_usd"))),
                agents,
                row.getString("trace_id"),
                EpochNanos.required(row, "created_at"),
                EpochNanos.required(row, "updated_at"),
                EpochNanos.read(row, "ended_at"),
                row.getString("owner"),
                EpochNanos.read(row, "lease_until"));
    }
}
