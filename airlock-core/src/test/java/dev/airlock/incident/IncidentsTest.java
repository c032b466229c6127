package dev.airlock.incident;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.alert.Alert;
import dev.airlock.alert.InMemoryAlertStore;
import dev.airlock.alert.Route;
import dev.airlock.audit.AuditEvent;
import dev.airlock.deploy.DeploymentChange;
import dev.airlock.deploy.DeploymentDesk;
import dev.airlock.deploy.InMemoryDeploymentStore;
import dev.airlock.deploy.InMemoryServedVersions;
import dev.airlock.deploy.Registry;
import dev.airlock.readiness.InMemoryEvidenceStore;
import dev.airlock.readiness.Operations;
import dev.airlock.readiness.ReadinessGate;
import dev.airlock.time.FakeTime;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The incident use cases over in-memory ports and fake time: joining, the post-incident record, and when an incident
 * rolls its model back (a recent promotion of the failing production version, once) and when it does not.
 */
class IncidentsTest {
    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");

    private final FakeTime time = new FakeTime(START);
    private final InMemoryIncidentStore store = new InMemoryIncidentStore();
    private final InMemoryAlertStore alerts = new InMemoryAlertStore();
    private final InMemoryDeploymentStore deployments = new InMemoryDeploymentStore();
    private final List<AuditEvent> audited = new ArrayList<>();
    private DeploymentDesk desk;
    private Incidents incidents;
    private int alertIds;

    @BeforeEach
    void wire() {
        desk = new Registry(List.of(new Registry.Model(
                        "support", List.of("1", "2"), Map.of(), new ReadinessGate.Declared(operations(), true, 5.0))))
                .desk(
                        deployments,
                        new InMemoryEvidenceStore(),
                        new InMemoryServedVersions(),
                        (action, tenant, actor, target, details) -> recordAudit(action.id(), actor, target, details),
                        time.clock(),
                        Duration.ZERO);
        incidents = new Incidents(
                        store,
                        alerts,
                        deployments,
                        Set.of("support"),
                        model -> new Route("support-team", List.of(), List.of(), "https://runbooks/support"),
                        (action, tenant, actor, target, details) -> recordAudit(action.id(), actor, target, details),
                        time.time())
                .rollingBack(desk, model -> new Incidents.AutoRollback(true, Duration.ofMinutes(30)));
    }

    private AuditEvent recordAudit(String action, String actor, String target, Map<String, String> details) {
        var event = new AuditEvent("e" + audited.size(), time.clock().instant(), null, actor, action, target, details);
        audited.add(event);
        return event;
    }

    private Alert firing(String rule, String model, String version) {
        Instant now = time.clock().instant();
        Alert a = new Alert(
                "alert-" + ++alertIds,
                rule,
                model,
                version,
                Alert.State.FIRING,
                1,
                0.1,
                model + " " + version + ": " + rule + " 1 > 0.1",
                now,
                now,
                null,
                null,
                null,
                null,
                null,
                now);
        alerts.saveAlert(a);
        return a;
    }

    private void promote2() {
        for (var missing : ((DeploymentDesk.Scored) desk.scorecard("support", "2"))
                .scorecard()
                .missing()) {
            desk.waive("support", "2", missing.check().id(), "accepted for a test", null, "key:ops");
        }
        assertThat(desk.promote("support", "2", "key:ops", "new version")).isInstanceOf(DeploymentDesk.Promoted.class);
    }

    private List<String> deploymentActions() {
        return deployments.deploymentChanges("support").stream()
                .map(DeploymentChange::action)
                .toList();
    }

    @Test
    void alertsOfOneModelJoinItsIncident_othersOpenTheirOwn_andTheInstallationSharesOne() {
        incidents.onFiring(firing("latency_p99_ms", "support", "1"));
        incidents.onFiring(firing("error_rate", "support", "1"));
        time.advance(Duration.ofSeconds(1));
        incidents.onFiring(firing("breaker_open", "breaker:up/gpt", ""));
        incidents.onFiring(firing("budget_soft_limit", "budget:daily", ""));

        assertThat(incidents.list(null, 10)).extracting(Incident::subject).containsExactly("installation", "support");
        Incident support = incidents.list(null, 10).get(1);
        assertThat(support.owner()).isEqualTo("support-team");
        assertThat(support.runbook()).isEqualTo("https://runbooks/support");
        assertThat(incidents.alertsOf(support.id())).containsExactly("alert-1", "alert-2");
        assertThat(incidents.alertsOf(incidents.list(null, 10).get(0).id())).containsExactly("alert-3", "alert-4");
        assertThat(incidents.countUnresolved()).isEqualTo(2);
    }

    @Test
    void resolve_needsACauseAndAnAction_namingWhatIsMissing() {
        incidents.onFiring(firing("latency_p99_ms", "support", "1"));
        String id = incidents.list(null, 1).get(0).id();

        assertThat(incidents.resolve(id, null, "restarted", List.of(), "key:ops"))
                .isInstanceOfSatisfying(
                        Incidents.Result.Invalid.class,
                        i -> assertThat(i.field()).isEqualTo("cause"));
        assertThat(incidents.resolve(id, "a stuck worker", " ", List.of(), "key:ops"))
                .isInstanceOfSatisfying(
                        Incidents.Result.Invalid.class,
                        i -> assertThat(i.field()).isEqualTo("action"));
        assertThat(incidents.resolve(id, "a stuck worker", "restarted", List.of("ok", ""), "key:ops"))
                .isInstanceOfSatisfying(
                        Incidents.Result.Invalid.class,
                        i -> assertThat(i.field()).isEqualTo("follow_ups[1]"));
        assertThat(incidents.find(id))
                .hasValueSatisfying(i -> assertThat(i.unresolved()).isTrue());

        assertThat(incidents.resolve(id, " a stuck worker ", "restarted", List.of("a probe"), "key:ops"))
                .isInstanceOfSatisfying(
                        Incidents.Result.Done.class,
                        d -> assertThat(d.incident().record())
                                .isEqualTo(new PostIncident("a stuck worker", "restarted", List.of("a probe"))));
        assertThat(incidents.resolve(id, "again", "again", List.of(), "key:ops"))
                .isInstanceOf(Incidents.Result.Conflict.class);
    }

    @Test
    void aChangeOnAStaleCopy_isAConflict_notAnOverwrite() {
        incidents.onFiring(firing("latency_p99_ms", "support", "1"));
        Incident read = incidents.list(null, 1).get(0);
        time.advance(Duration.ofSeconds(1));
        store.updateIncident(read.assigned("bob", time.clock().instant()), read.updatedAt()); // another node

        assertThat(store.updateIncident(
                        read.acknowledged("key:ops", time.clock().instant()), read.updatedAt()))
                .isFalse();
        assertThat(incidents.acknowledge(read.id(), "key:ops")).isInstanceOf(Incidents.Result.Done.class);
        assertThat(incidents.find(read.id()).orElseThrow().assignee()).isEqualTo("bob");
    }

    @Test
    void aRecentlyPromotedVersionFailing_isRolledBackOnce_evenWhenMoreAlertsJoin() {
        promote2();
        time.advance(Duration.ofMinutes(5));

        incidents.onFiring(firing("error_rate", "support", "2"));
        incidents.onFiring(firing("latency_p99_ms", "support", "2"));

        assertThat(desk.deployments().current("support").production()).isEqualTo("1");
        assertThat(deploymentActions()).containsExactly("promoted", "rolled_back");
        String id = incidents.list(null, 1).get(0).id();
        assertThat(incidents.timeline(id).orElseThrow())
                .extracting(IncidentEntry::kind)
                .containsSubsequence("deployment.promoted", "opened", "rollback", "alert.joined");
        assertThat(audited)
                .filteredOn(e -> e.action().equals("incident.rolled_back"))
                .singleElement()
                .satisfies(e -> assertThat(e.target()).isEqualTo(id));
    }

    @Test
    void noRollback_forAnOldPromotion_aVersionNotInProduction_orARuleABadVersionDoesNotBreak() {
        promote2();
        incidents.onFiring(firing("cost_per_day_usd", "support", "2"));
        incidents.onFiring(firing("error_rate", "support", "1"));
        time.advance(Duration.ofMinutes(31));
        incidents.onFiring(firing("error_rate", "support", "2"));

        assertThat(deploymentActions()).containsExactly("promoted");
        assertThat(audited).noneMatch(e -> e.action().startsWith("incident.rollback"));
    }

    private static Operations operations() {
        return new Operations(
                "support-team",
                "support-oncall@example.com",
                List.of("head-of-support"),
                "https://runbooks.example.com/support",
                new Operations.Thresholds(2000.0, 0.1, 0.2, 0.8, new BigDecimal("50")),
                null,
                List.of(),
                "refunds over 500 EUR are reviewed");
    }
}
