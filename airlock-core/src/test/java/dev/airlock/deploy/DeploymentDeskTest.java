package dev.airlock.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.audit.AuditEvent;
import dev.airlock.deploy.DeploymentDesk.Changed;
import dev.airlock.deploy.DeploymentDesk.Conflict;
import dev.airlock.deploy.DeploymentDesk.Invalid;
import dev.airlock.deploy.DeploymentDesk.NoJustification;
import dev.airlock.deploy.DeploymentDesk.NotReady;
import dev.airlock.deploy.DeploymentDesk.Promoted;
import dev.airlock.deploy.DeploymentDesk.Scored;
import dev.airlock.deploy.DeploymentDesk.UnknownCheck;
import dev.airlock.deploy.DeploymentDesk.UnknownModel;
import dev.airlock.deploy.DeploymentDesk.UnknownVersion;
import dev.airlock.deploy.DeploymentDesk.Unservable;
import dev.airlock.deploy.DeploymentDesk.Waived;
import dev.airlock.evidence.Evaluation;
import dev.airlock.evidence.LoadTestResult;
import dev.airlock.readiness.Drill;
import dev.airlock.readiness.InMemoryEvidenceStore;
import dev.airlock.readiness.Operations;
import dev.airlock.readiness.Readiness;
import dev.airlock.readiness.ReadinessGate;
import dev.airlock.readiness.Waiver;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The deployment use cases over in-memory ports: promotion behind the readiness gate, waivers recorded and audited,
 * rollback, canaries and shadows, each answering with a closed result and auditing every change it makes.
 */
class DeploymentDeskTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final String OPERATOR = "key:oper1";
    private static final String WHY = "pilot on synthetic cases only, evaluation due by 2027-01";

    private final InMemoryDeploymentStore deployments = new InMemoryDeploymentStore();
    private final InMemoryEvidenceStore evidence = new InMemoryEvidenceStore();
    private final InMemoryServedVersions served = new InMemoryServedVersions();
    private final List<AuditEvent> audited = new ArrayList<>();
    private final DeploymentDesk desk = new Registry(List.of(new Registry.Model(
                    "support",
                    List.of("1", "2", "3"),
                    Map.of("staging", "2"),
                    new ReadinessGate.Declared(operations(), true, 5.0))))
            .desk(
                    deployments,
                    evidence,
                    served,
                    (action, tenant, actor, target, details) -> {
                        var event =
                                new AuditEvent("e" + audited.size(), NOW, tenant, actor, action.id(), target, details);
                        audited.add(event);
                        return event;
                    },
                    Clock.fixed(NOW, ZoneOffset.UTC),
                    Duration.ZERO);

    @Test
    void promote_isRefusedWithExactlyWhatIsMissing_andChangesNothing() {
        var result = desk.promote("support", "2", OPERATOR, "better answers");

        assertThat(result).isInstanceOf(NotReady.class);
        assertThat(((NotReady) result).missing().stream().map(r -> r.check().id()))
                .containsExactly("fallback_drill", "rollback_drill", "load_test", "evaluation");
        assertThat(production()).isEqualTo("1");
        assertThat(deployments.deploymentChanges("support")).isEmpty();
        assertThat(audited).isEmpty();
    }

    @Test
    void promote_passesOnceTheMissingChecksAreWaived_andAuditsWaiversAndPromotion() {
        for (String check : List.of("fallback_drill", "rollback_drill", "load_test", "evaluation")) {
            assertThat(desk.waive("support", "2", check, WHY, null, "key:admin1"))
                    .isInstanceOf(Waived.class);
        }

        var result = desk.promote("support", "2", OPERATOR, "better answers");

        assertThat(result).isInstanceOf(Promoted.class);
        Promoted promoted = (Promoted) result;
        assertThat(promoted.deployment().production()).isEqualTo("2");
        assertThat(promoted.change().from()).isEqualTo("1");
        assertThat(promoted.change().actor()).isEqualTo(OPERATOR);
        assertThat(production()).isEqualTo("2");
        assertThat(audited.stream().map(AuditEvent::action))
                .containsExactly(
                        "readiness.waived",
                        "readiness.waived",
                        "readiness.waived",
                        "readiness.waived",
                        "deployment.promoted");
        AuditEvent last = audited.getLast();
        assertThat(last.target()).isEqualTo("support");
        assertThat(last.details())
                .containsEntry("from", "1")
                .containsEntry("to", "2")
                .containsEntry("reason", "better answers")
                .containsEntry("id", promoted.change().id());
    }

    @Test
    void promote_passesOnEvidenceRecordedForThatVersion_only() {
        recordEvidenceFor("2");

        assertThat(desk.promote("support", "3", OPERATOR, null)).isInstanceOf(NotReady.class);
        assertThat(desk.promote("support", "2", OPERATOR, null)).isInstanceOf(Promoted.class);
    }

    @Test
    void promote_namesWhatIsUnknownOrAlreadyTrue() {
        assertThat(desk.promote("nope", "2", OPERATOR, null)).isEqualTo(new UnknownModel("nope", List.of("support")));
        var unknown = desk.promote("support", "9", OPERATOR, null);
        assertThat(unknown).isEqualTo(new UnknownVersion("support", "9", List.of("1", "2", "3")));
        assertThat(((UnknownVersion) unknown).message())
                .isEqualTo("model support has no version '9'; declared: [1, 2, 3]");
        waiveEverything();
        assertThat(desk.promote("support", "1", OPERATOR, null))
                .isEqualTo(new Invalid("version '1' of support is already production"));
    }

    @Test
    void promote_isRefused_whenALiveNodeCannotServeTheVersion_namingTheNodesAndWhatTheyServe() {
        waiveEverything();
        audited.clear();
        served.publishServed(new ServingNode("node-a", Map.of("support", List.of("1")), NOW.minusSeconds(5), null));
        served.publishServed(
                new ServingNode("node-b", Map.of("support", List.of("1", "2")), NOW.minusSeconds(5), null));

        var result = desk.promote("support", "2", OPERATOR, "better answers");

        assertThat(result).isInstanceOfSatisfying(Unservable.class, u -> {
            assertThat(u.lacking()).extracting(ServingNode::node).containsExactly("node-a");
            assertThat(u.message())
                    .startsWith("support 2 cannot be served by 1 of 2 live node(s): node-a.")
                    .contains("node-a serves support [1]; node-b serves support [1, 2]")
                    .contains("force it with a justification");
        });
        assertThat(production()).isEqualTo("1");
        assertThat(audited).isEmpty();
    }

    @Test
    void promote_passesWithoutWarning_whenEveryLiveNodeServesTheVersion_andStaleNodesDoNotCount() {
        waiveEverything();
        served.publishServed(
                new ServingNode("node-b", Map.of("support", List.of("1", "2")), NOW.minusSeconds(5), null));
        served.publishServed(new ServingNode(
                "node-gone",
                Map.of("support", List.of("1")),
                NOW.minus(ServedVersions.LIVE_FOR).minusSeconds(1),
                null));

        var result = desk.promote("support", "2", OPERATOR, "better answers");

        assertThat(result)
                .isInstanceOfSatisfying(
                        Promoted.class, p -> assertThat(p.warnings()).isEmpty());
        assertThat(production()).isEqualTo("2");
    }

    @Test
    void promote_withNoLiveNode_passesAndWarnsThatNothingWasChecked() {
        waiveEverything();

        var result = desk.promote("support", "2", OPERATOR, null);

        assertThat(result)
                .isInstanceOfSatisfying(
                        Promoted.class,
                        p -> assertThat(p.warnings())
                                .singleElement()
                                .asString()
                                .startsWith("no serving node has published what it serves in the last 35 s"));
    }

    @Test
    void force_needsAJustification_andIsAuditedOnceTheChangeIsMade() {
        waiveEverything();
        audited.clear();
        served.publishServed(new ServingNode("node-a", Map.of("support", List.of("1")), NOW, null));

        assertThat(desk.promote("support", "2", OPERATOR, null, new DeploymentDesk.Force("because")))
                .isInstanceOfSatisfying(
                        Invalid.class,
                        i -> assertThat(i.message()).contains("needs a justification of at least 10 characters"));
        assertThat(audited).isEmpty();

        var forced = desk.promote(
                "support", "2", OPERATOR, null, new DeploymentDesk.Force("node-a is replaced within the hour"));

        assertThat(forced)
                .isInstanceOfSatisfying(
                        Promoted.class,
                        p -> assertThat(p.warnings())
                                .singleElement()
                                .asString()
                                .startsWith("forced: node-a cannot serve support 2"));
        assertThat(audited.stream().map(AuditEvent::action))
                .containsExactly("deployment.promoted", "deployment.forced");
        assertThat(audited.getLast().details())
                .containsEntry("version", "2")
                .containsEntry("use", "promote")
                .containsEntry("unserved_by", "node-a")
                .containsEntry("justification", "node-a is replaced within the hour");
    }

    @Test
    void canaryAndShadow_areRefusedLikePromotion_whenALiveNodeCannotServeTheVersion() {
        served.publishServed(new ServingNode("node-a", Map.of("support", List.of("1", "2")), NOW, null));

        assertThat(desk.startCanary("support", "3", 0.1, OPERATOR)).isInstanceOf(Unservable.class);
        assertThat(desk.startShadow("support", "3", OPERATOR)).isInstanceOf(Unservable.class);
        assertThat(desk.startCanary("support", "2", 0.1, OPERATOR)).isInstanceOf(Changed.class);
        assertThat(desk.startShadow(
                        "support", "3", OPERATOR, new DeploymentDesk.Force("compare before node-a learns it")))
                .isInstanceOf(Changed.class);
        assertThat(audited.getLast().details()).containsEntry("use", "shadow");
    }

    @Test
    void rollback_returnsProductionToTheVersionBeforeTheLastPromotion_once() {
        waiveEverything();
        desk.promote("support", "2", OPERATOR, null);

        var rolledBack = desk.rollback("support", OPERATOR, "complaints about tone");

        assertThat(rolledBack).isInstanceOf(Changed.class);
        assertThat(((Changed) rolledBack).change().action()).isEqualTo("rolled_back");
        assertThat(production()).isEqualTo("1");
        assertThat(audited.getLast().action()).isEqualTo("deployment.rolled_back");
        assertThat(audited.getLast().details()).containsEntry("reason", "complaints about tone");
        assertThat(desk.rollback("support", OPERATOR, null))
                .isInstanceOfSatisfying(
                        Conflict.class, c -> assertThat(c.message()).startsWith("nothing to roll back to"));
    }

    @Test
    void canary_startsWithItsShare_stopsByHand_andCannotStopTwice() {
        var started = desk.startCanary("support", "2", 0.25, OPERATOR);

        assertThat(started).isInstanceOf(Changed.class);
        assertThat(((Changed) started).deployment().canary()).isEqualTo(new Deployment.Canary("2", 0.25));
        assertThat(desk.stopCanary("support", OPERATOR)).isInstanceOf(Changed.class);
        assertThat(desk.deployments().current("support").canary()).isNull();
        assertThat(desk.stopCanary("support", OPERATOR)).isEqualTo(new Conflict("support has no canary running"));
        assertThat(audited.stream().map(AuditEvent::action))
                .containsExactly("deployment.canary.started", "deployment.canary.stopped");
    }

    @Test
    void canary_refusesTheProductionVersionAndAShareOutsideZeroToOne() {
        assertThat(desk.startCanary("support", "1", 0.1, OPERATOR)).isInstanceOf(Invalid.class);
        assertThat(desk.startCanary("support", "2", 1.5, OPERATOR))
                .isInstanceOfSatisfying(
                        Invalid.class, i -> assertThat(i.message()).contains("between 0 and 1"));
        assertThat(desk.startCanary("support", "9", 0.1, OPERATOR))
                .isInstanceOfSatisfying(
                        Invalid.class, i -> assertThat(i.message()).contains("no version '9'"));
        assertThat(audited).isEmpty();
    }

    @Test
    void shadow_startsAndStops_andStoppingNoneIsAConflict() {
        assertThat(desk.startShadow("support", "3", OPERATOR)).isInstanceOf(Changed.class);
        assertThat(desk.deployments().current("support").shadow()).isEqualTo("3");
        assertThat(desk.stopShadow("support", OPERATOR)).isInstanceOf(Changed.class);
        assertThat(desk.stopShadow("support", OPERATOR)).isEqualTo(new Conflict("support has no shadow to stop"));
    }

    @Test
    void aliases_moveByHand_butNotProduction() {
        assertThat(desk.setAlias("support", "champion", "3", OPERATOR)).isInstanceOf(Changed.class);
        assertThat(desk.deployments().current("support").aliases())
                .containsEntry("champion", "3")
                .containsEntry("staging", "2");
        assertThat(desk.setAlias("support", "production", "3", OPERATOR)).isInstanceOf(Invalid.class);
        assertThat(desk.removeAlias("support", "champion", OPERATOR)).isInstanceOf(Changed.class);
        assertThat(production()).isEqualTo("1");
    }

    @Test
    void waive_recordsWhoAndWhyAsEvidence_andTheScorecardShowsIt() {
        var result = desk.waive("support", null, "evaluation", "  " + WHY + " ", null, "key:admin1");

        assertThat(result).isInstanceOf(Waived.class);
        Waived waived = (Waived) result;
        assertThat(waived.waiver().justification()).isEqualTo(WHY);
        assertThat(waived.waiver().at()).isEqualTo(NOW);
        assertThat(evidence.waivers("support")).containsExactly(waived.waiver());
        Readiness.Result evaluation = waived.scorecard().results().get(Readiness.Check.EVALUATION.ordinal());
        assertThat(evaluation.passed()).isFalse();
        assertThat(evaluation.waiver()).isEqualTo(waived.waiver());
        assertThat(audited).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("readiness.waived");
            assertThat(e.actor()).isEqualTo("key:admin1");
            assertThat(e.details())
                    .isEqualTo(Map.of(
                            "check",
                            "evaluation",
                            "justification",
                            WHY,
                            "version",
                            "1",
                            "expires_at",
                            NOW.plus(Waiver.DEFAULT_TERM).toString()));
        });
    }

    @Test
    void waive_refusesAnUnknownCheckOrAMissingJustification_andRecordsNothing() {
        assertThat(desk.waive("support", "2", "vibes", WHY, null, "key:admin1"))
                .isInstanceOfSatisfying(
                        UnknownCheck.class, c -> assertThat(c.message()).startsWith("no readiness check 'vibes'"));
        assertThat(desk.waive("support", "2", "owner", "because  ", null, "key:admin1"))
                .isInstanceOf(NoJustification.class);
        assertThat(desk.waive("support", "2", "owner", null, null, "key:admin1"))
                .isInstanceOf(NoJustification.class);
        assertThat(desk.waive("nope", "2", "owner", WHY, null, "key:admin1")).isInstanceOf(UnknownModel.class);
        assertThat(evidence.waivers("support")).isEmpty();
        assertThat(audited).isEmpty();
    }

    @Test
    void scorecard_ofTheModelOrOfADeclaredVersion() {
        recordEvidenceFor("2");

        assertThat(desk.scorecard("support", "2"))
                .isInstanceOfSatisfying(
                        Scored.class, s -> assertThat(s.scorecard().ready()).isTrue());
        assertThat(desk.scorecard("support", "3"))
                .isInstanceOfSatisfying(
                        Scored.class, s -> assertThat(s.scorecard().ready()).isFalse());
        assertThat(desk.scorecard("support", null))
                .isInstanceOfSatisfying(
                        Scored.class, s -> assertThat(s.scorecard().version()).isNull());
        assertThat(desk.scorecard("support", "9")).isInstanceOf(UnknownVersion.class);
        assertThat(desk.scorecard("nope", null)).isInstanceOf(UnknownModel.class);
    }

    @Test
    void deployments_offerNoPublicWayToChangeADeployment_soEveryPromotionPassesTheGate() {
        List<String> publicMethods = Arrays.stream(Deployments.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()))
                .map(Method::getName)
                .sorted()
                .toList();

        assertThat(publicMethods).containsExactly("all", "current", "history", "versions");
    }

    @Test
    void aWaiverCountsOnlyForTheVersionItWasGivenFor_andOnlyUntilItExpires() {
        for (String check : List.of("fallback_drill", "rollback_drill", "load_test", "evaluation")) {
            desk.waive("support", "2", check, WHY, NOW.plus(Duration.ofDays(7)), "key:admin1");
        }

        assertThat(desk.promote("support", "3", OPERATOR, "the waivers were for 2"))
                .as("a waiver for 2 does not pass 3")
                .isInstanceOf(DeploymentDesk.NotReady.class);
        DeploymentDesk aWeekLater = deskAt(NOW.plus(Duration.ofDays(7)));
        assertThat(aWeekLater.promote("support", "2", OPERATOR, "the waivers have expired"))
                .isInstanceOf(DeploymentDesk.NotReady.class);
        assertThat(desk.promote("support", "2", OPERATOR, "within the waivers' term"))
                .isInstanceOf(Promoted.class);
    }

    @Test
    void waive_refusesAnExpiryInThePastOrBeyondAYear_andAnUnknownVersion() {
        assertThat(desk.waive("support", "2", "evaluation", WHY, NOW, "key:admin1"))
                .isInstanceOf(DeploymentDesk.BadExpiry.class);
        assertThat(desk.waive("support", "2", "evaluation", WHY, NOW.plus(Duration.ofDays(400)), "key:admin1"))
                .isInstanceOf(DeploymentDesk.BadExpiry.class);
        assertThat(desk.waive("support", "9", "evaluation", WHY, null, "key:admin1"))
                .isInstanceOf(DeploymentDesk.UnknownVersion.class);
        assertThat(evidence.waivers("support")).isEmpty();
    }

    /** A desk over the same stores whose clock reads {@code now}. */
    private DeploymentDesk deskAt(Instant now) {
        return new Registry(List.of(new Registry.Model(
                        "support",
                        List.of("1", "2", "3"),
                        Map.of("staging", "2"),
                        new ReadinessGate.Declared(operations(), true, 5.0))))
                .desk(
                        deployments,
                        evidence,
                        served,
                        (action, tenant, actor, target, details) ->
                                new AuditEvent("later", now, tenant, actor, action.id(), target, details),
                        Clock.fixed(now, ZoneOffset.UTC),
                        Duration.ZERO);
    }

    private String production() {
        return desk.deployments().current("support").production();
    }

    private void waiveEverything() {
        for (String version : List.of("1", "2", "3")) {
            for (Readiness.Check check : Readiness.Check.values()) {
                desk.waive("support", version, check.id(), WHY, null, "key:admin1");
            }
        }
    }

    private void recordEvidenceFor(String version) {
        evidence.recordDrill(new Drill("d1", "fallback", "support", NOW, true, Map.of("version", version)));
        evidence.recordDrill(new Drill("d2", "rollback", "support", NOW, true, Map.of()));
        evidence.recordLoadTest(new LoadTestResult(
                "lt1",
                "support",
                version,
                NOW,
                Duration.ofSeconds(30),
                10,
                50,
                1500,
                1500,
                0,
                0,
                20,
                180,
                300,
                0,
                Duration.ofMillis(20)));
        evidence.recordEvaluation(new Evaluation(
                "ev1",
                "support",
                version,
                NOW,
                "raw-sample.csv",
                1000,
                990,
                0.86,
                0.9,
                0.95,
                0.3,
                0.665,
                0.6,
                12000.0));
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
