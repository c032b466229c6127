package dev.airlock.readiness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.audit.AuditEvent;
import dev.airlock.evidence.Evaluation;
import dev.airlock.evidence.LoadTestResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Evidence is kept and audited in one step, with who recorded it and what the audit log needs to find it again. */
class EvidenceDeskTest {
    private static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");

    private final InMemoryEvidenceStore evidence = new InMemoryEvidenceStore();
    private final List<AuditEvent> audited = new ArrayList<>();
    private final EvidenceDesk desk = new EvidenceDesk(evidence, (action, tenant, actor, target, details) -> {
        var event = new AuditEvent("e" + audited.size(), T0, tenant, actor, action.id(), target, details);
        audited.add(event);
        return event;
    });

    @Test
    void aDrill_isKeptAndAudited_withTheFaultItInjected() {
        var drill = new Drill(
                "d1",
                "fallback",
                "loan-risk",
                T0,
                true,
                Map.of("calls", "20", "fault", "in-process model made to fail", "served_by", "{b=20}"));

        desk.recordDrill(drill, "cli:ops");

        assertThat(evidence.drills("loan-risk")).containsExactly(drill);
        assertThat(audited).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("drill.recorded");
            assertThat(e.actor()).isEqualTo("cli:ops");
            assertThat(e.target()).isEqualTo("loan-risk");
            assertThat(e.details())
                    .isEqualTo(Map.of(
                            "id",
                            "d1",
                            "kind",
                            "fallback",
                            "passed",
                            "true",
                            "fault",
                            "in-process model made to fail"));
        });
    }

    @Test
    void aLoadTest_isKeptAndAudited_withItsVersionAndCounts() {
        var result = new LoadTestResult(
                "lt1",
                "loan-risk",
                "1.1.0",
                T0,
                Duration.ofSeconds(10),
                10,
                200,
                2000,
                1990,
                8,
                2,
                2.5,
                17.4,
                38.5,
                0.2,
                Duration.ofMillis(50));

        desk.recordLoadTest(result, "key:admin1");

        assertThat(evidence.loadTests("loan-risk")).containsExactly(result);
        assertThat(audited).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("loadtest.recorded");
            assertThat(e.details())
                    .containsEntry("id", "lt1")
                    .containsEntry("version", "1.1.0")
                    .containsEntry("multiplier", "10.0")
                    .containsEntry("ok", "1990")
                    .containsEntry("shed", "8")
                    .containsEntry("errors", "2");
        });
    }

    @Test
    void anEvaluation_isKeptAndAudited_withTheSampleItRead() {
        var evaluation = new Evaluation(
                "e1",
                "loan-risk",
                "1.0.0",
                T0,
                "sample.csv sha256:ab",
                2000,
                1870,
                0.71,
                0.759,
                0.8,
                0.3,
                0.56,
                0.62,
                null);

        desk.recordEvaluation(evaluation, "cli:ops");

        assertThat(evidence.evaluations("loan-risk")).containsExactly(evaluation);
        assertThat(audited).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("evaluation.recorded");
            assertThat(e.details()).isEqualTo(Map.of("id", "e1", "version", "1.0.0", "sample", "sample.csv sha256:ab"));
        });
    }
}
