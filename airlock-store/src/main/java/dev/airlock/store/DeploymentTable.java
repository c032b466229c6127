package dev.airlock.store;

import dev.airlock.deploy.Deployment;
import dev.airlock.deploy.DeploymentChange;
import dev.airlock.deploy.DeploymentStore;
import dev.airlock.pipeline.ShadowComparison;
import dev.airlock.registry.ConfigRevision;
import dev.airlock.registry.ConfigRevisions;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/** The {@code deployments}, {@code deployment_changes} and {@code shadow_comparisons} tables. */
final class DeploymentTable implements DeploymentStore, ShadowComparison.Log, ConfigRevisions {
    private final Database database;

    DeploymentTable(Database database) {
        this.database = database;
    }

    @Override
    public List<Deployment> deployments() {
        return database.reads()
                .withHandle(handle -> handle.createQuery("SELECT * FROM deployments ORDER BY model")
                        .map((rs, ctx) -> {
                            String canary = rs.getString("canary");
                            return new Deployment(
                                    rs.getString("model"),
                                    rs.getString("production"),
                                    canary == null
                                            ? null
                                            : new Deployment.Canary(
                                                    canary, Double.parseDouble(rs.getString("canary_share"))),
                                    rs.getString("shadow"),
                                    JsonColumns.fields(rs.getString("aliases")),
                                    EpochNanos.read(rs, "updated_at"));
                        })
                        .list());
    }

    @Override
    public void saveDeployment(Deployment d, DeploymentChange c, @Nullable Instant expected) {
        database.writes().useTransaction(handle -> {
            int saved;
            if (expected == null) {
                boolean exists = handle.createQuery("SELECT COUNT(*) FROM deployments WHERE model = :model")
                                .bind("model", d.model())
                                .mapTo(Integer.class)
                                .one()
                        > 0;
                saved = exists
                        ? 0
                        : handle.createUpdate("INSERT INTO deployments (model, production, canary, canary_share,"
                                        + " shadow, aliases, updated_at) VALUES (:model, :production, :canary, :share,"
                                        + " :shadow, :aliases, :at)")
                                .bindMap(values(d, c))
                                .execute();
            } else {
                saved = handle.createUpdate("UPDATE deployments SET production = :production, canary = :canary,"
                                + " canary_share = :share, shadow = :shadow, aliases = :aliases, updated_at = :at"
                                + " WHERE model = :model AND updated_at = :expected")
                        .bindMap(values(d, c))
                        .bind("expected", EpochNanos.of(expected, "expected"))
                        .execute();
            }
            if (saved != 1) {
                throw new IllegalStateException("the deployment of " + d.model() + " was changed meanwhile by"
                        + " another node or command; read it again and retry");
            }
            handle.createUpdate("INSERT INTO deployment_changes (id, model, at, actor, action, from_version,"
                            + " to_version, reason) VALUES (:id, :model, :at, :actor, :action, :from, :to, :reason)")
                    .bind("id", c.id())
                    .bind("model", c.model())
                    .bind("at", EpochNanos.of(c.at(), "at"))
                    .bind("actor", c.actor())
                    .bind("action", c.action())
                    .bind("from", c.from())
                    .bind("to", c.to())
                    .bind("reason", c.reason())
                    .execute();
        });
    }

    private static Map<String, Object> values(Deployment d, DeploymentChange c) {
        Map<String, Object> v = new HashMap<>();
        v.put("model", d.model());
        v.put("production", d.production());
        v.put("canary", d.canary() == null ? null : d.canary().version());
        v.put("share", d.canary() == null ? null : Double.toString(d.canary().share()));
        v.put("shadow", d.shadow());
        v.put("aliases", JsonColumns.write(d.aliases()));
        v.put("at", EpochNanos.of(c.at(), "at"));
        return v;
    }

    @Override
    public List<DeploymentChange> deploymentChanges(String model) {
        return database.reads()
                .withHandle(handle -> handle.createQuery(
                                "SELECT * FROM deployment_changes WHERE model = :model ORDER BY at, id")
                        .bind("model", model)
                        .map((rs, ctx) -> new DeploymentChange(
                                rs.getString("id"),
                                rs.getString("model"),
                                EpochNanos.required(rs, "at"),
                                rs.getString("actor"),
                                rs.getString("action"),
                                rs.getString("from_version"),
                                rs.getString("to_version"),
                                rs.getString("reason")))
                        .list());
    }

    @Override
    public void recordShadow(ShadowComparison s) {
        database.writes()
                .useHandle(handle -> handle.createUpdate("INSERT INTO shadow_comparisons (decision_id,"
                                + " shadow_decision_id, model, production_version, shadow_version, at, shadow_outcome,"
                                + " agreed, production_micros, shadow_micros, production_cost, shadow_cost) VALUES"
                                + " (:id, :shadowId, :model, :productionVersion, :shadowVersion, :at, :outcome,"
                                + " :agreed, :productionMicros, :shadowMicros, :productionCost, :shadowCost)")
                        .bind("id", s.decisionId())
                        .bind("shadowId", s.shadowDecisionId())
                        .bind("model", s.model())
                        .bind("productionVersion", s.productionVersion())
                        .bind("shadowVersion", s.shadowVersion())
                        .bind("at", EpochNanos.of(s.at(), "at"))
                        .bind("outcome", s.shadowOutcome())
                        .bind("agreed", s.agreed() ? 1 : 0)
                        .bind("productionMicros", s.productionMicros())
                        .bind("shadowMicros", s.shadowMicros())
                        .bind("productionCost", Money.toNanos(s.productionCost()))
                        .bind("shadowCost", Money.toNanos(s.shadowCost()))
                        .execute());
    }

    /** A model's comparisons since {@code from}, oldest first, until the visitor returns false. */
    @Override
    public void shadowComparisons(String model, Instant from, Predicate<ShadowComparison> visitor) {
        database.reads().useHandle(handle -> {
            try (var rows = handle
                    .createQuery("SELECT * FROM shadow_comparisons WHERE model = :model AND at >= :from"
                            + " ORDER BY at, decision_id")
                    .bind("model", model)
                    .bind("from", EpochNanos.of(from, "from"))
                    .setFetchSize(500)
                    .map((rs, ctx) -> new ShadowComparison(
                            rs.getString("decision_id"),
                            rs.getString("shadow_decision_id"),
                            rs.getString("model"),
                            rs.getString("production_version"),
                            rs.getString("shadow_version"),
                            EpochNanos.required(rs, "at"),
                            rs.getString("shadow_outcome"),
                            rs.getInt("agreed") != 0,
                            rs.getLong("production_micros"),
                            rs.getLong("shadow_micros"),
                            Money.fromNanos(nanos(rs, "production_cost")),
                            Money.fromNanos(nanos(rs, "shadow_cost"))))
                    .stream()) {
                var it = rows.iterator();
                while (it.hasNext() && visitor.test(it.next())) {
                    // visited
                }
            }
        });
    }

    private static @Nullable Long nanos(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    @Override
    public void recordConfigRevision(ConfigRevision r) {
        database.writes()
                .useHandle(handle -> handle.createUpdate(
                                "INSERT INTO config_revisions (id, at, actor, sha256, body) VALUES (:id, :at, :actor,"
                                        + " :sha256, :body)")
                        .bind("id", r.id())
                        .bind("at", EpochNanos.of(r.at(), "at"))
                        .bind("actor", r.actor())
                        .bind("sha256", r.sha256())
                        .bind("body", r.body())
                        .execute());
    }

    @Override
    public Optional<ConfigRevision> latestConfigRevision() {
        return database.reads()
                .withHandle(handle -> handle.createQuery(
                                "SELECT * FROM config_revisions ORDER BY at DESC, id DESC LIMIT 1")
                        .map((rs, ctx) -> new ConfigRevision(
                                rs.getString("id"),
                                EpochNanos.required(rs, "at"),
                                rs.getString("actor"),
                                rs.getString("sha256"),
                                rs.getString("body")))
                        .findOne());
    }
}
