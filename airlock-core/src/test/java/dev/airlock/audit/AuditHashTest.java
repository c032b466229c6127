package dev.airlock.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.decision.Decision;
import dev.airlock.decision.DecisionLogContract;
import dev.airlock.decision.Outcome;
import dev.airlock.decision.Principal;
import dev.airlock.decision.RequestKind;
import dev.airlock.decision.Role;
import dev.airlock.decision.StageNote;
import dev.airlock.decision.Stop;
import dev.airlock.decision.Usage;
import dev.airlock.decision.WorkflowStep;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Airlock serves records decoded from their canonical bytes, so decoding must give back exactly what was hashed. */
class AuditHashTest {
    private static final Instant AT = Instant.parse("2026-11-30T10:00:00.123456789Z");

    @Test
    void aDecisionDecodesToItself_withEveryFieldSet() {
        var refused = new Decision(
                "d-1",
                AT,
                new Principal("acme", "key-1", Role.APP),
                RequestKind.CHAT,
                "assistant",
                "7",
                "openai",
                "gpt-x",
                true,
                new Outcome.Refused(new Stop("policy", 403, "policy_error", "denied", "Denied: café ☕", "messages")),
                new Usage(120, 40, 20),
                new BigDecimal("0.000042"),
                812,
                600,
                "ab".repeat(32),
                null,
                List.of("income_low", "debt_high"),
                List.of(new StageNote("guard_input", "pass", ""), new StageNote("policy", "deny", null)),
                null);
        var record = new AuditRecord.OfDecision(refused, "cd".repeat(32), null);

        assertThat(AuditHash.decode(AuditHash.canonical(record))).isEqualTo(record);
    }

    @Test
    void aDecisionWithATraceId_isFormat3AndDecodesToItself_oneWithoutKeepsFormat2AndItsHash() {
        Decision untraced = DecisionLogContract.decision("acme", AT, new Outcome.Answered());
        Decision traced = DecisionLogContract.withTraceId(untraced, "4bf92f3577b34da6a3ce929d0e0e4736");

        byte[] plain = AuditHash.canonical(new AuditRecord.OfDecision(untraced, null, null));
        byte[] withTrace = AuditHash.canonical(new AuditRecord.OfDecision(traced, null, null));

        assertThat(new String(plain, StandardCharsets.UTF_8)).contains("airlock.decision/2");
        assertThat(new String(withTrace, StandardCharsets.UTF_8))
                .contains("airlock.decision/3")
                .endsWith("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(((AuditRecord.OfDecision) AuditHash.decode(withTrace)).decision())
                .isEqualTo(traced);
        assertThat(((AuditRecord.OfDecision) AuditHash.decode(plain)).decision())
                .isEqualTo(untraced);
        assertThat(AuditHash.leafOf(withTrace)).isNotEqualTo(AuditHash.leafOf(plain));
    }

    @Test
    void aDecisionWithItsBuild_isFormat4WithTheContentDigestLast_andDecodesToItself_tracedOrNot() {
        Decision plain = DecisionLogContract.decision("acme", AT, new Outcome.Answered());
        Decision traced = DecisionLogContract.withTraceId(plain, "4bf92f3577b34da6a3ce929d0e0e4736");
        String digest = "cd".repeat(32);
        for (Decision d : List.of(plain, traced)) {
            Decision built = withBuild(d, "0.1.0 (abc1234)");
            var record = new AuditRecord.OfDecision(built, digest, null);
            byte[] canonical = AuditHash.canonical(record);

            assertThat(new String(canonical, StandardCharsets.UTF_8))
                    .contains("airlock.decision/4")
                    .contains("0.1.0 (abc1234)")
                    .endsWith(digest);
            assertThat(AuditHash.decode(canonical)).isEqualTo(record);
            assertThat(AuditHash.leafOf(canonical))
                    .isNotEqualTo(AuditHash.leafOf(AuditHash.canonical(new AuditRecord.OfDecision(d, digest, null))));
        }
    }

    @Test
    void aDecisionOfAWorkflowStep_isFormat5WithTheContentDigestLast_andDecodesToItself() {
        Decision built = withBuild(DecisionLogContract.decision("acme", AT, new Outcome.Answered()), "0.1.0 (abc1234)");
        Decision step = new Decision(
                built.id(),
                built.startedAt(),
                built.principal(),
                built.kind(),
                built.model(),
                built.modelVersion(),
                built.provider(),
                built.upstreamModel(),
                built.stream(),
                built.outcome(),
                built.usage(),
                built.cost(),
                built.latencyMicros(),
                built.upstreamMicros(),
                built.inputSha256(),
                built.outputSha256(),
                built.reasons(),
                built.notes(),
                null,
                null,
                built.airlockVersion(),
                new WorkflowStep("run_0001", "research/0/applicant"));
        String digest = "ef".repeat(32);
        var record = new AuditRecord.OfDecision(step, digest, null);
        byte[] canonical = AuditHash.canonical(record);

        assertThat(new String(canonical, StandardCharsets.UTF_8))
                .contains("airlock.decision/5")
                .contains("run_0001")
                .contains("research/0/applicant")
                .endsWith(digest);
        assertThat(AuditHash.decode(canonical)).isEqualTo(record);
        assertThat(AuditHash.canonical(new AuditRecord.OfDecision(built, digest, null)))
                .as("a Decision outside workflows keeps format 4")
                .asString(StandardCharsets.UTF_8)
                .contains("airlock.decision/4");
    }

    private static Decision withBuild(Decision d, String build) {
        return new Decision(
                d.id(),
                d.startedAt(),
                d.principal(),
                d.kind(),
                d.model(),
                d.modelVersion(),
                d.provider(),
                d.upstreamModel(),
                d.stream(),
                d.outcome(),
                d.usage(),
                d.cost(),
                d.latencyMicros(),
                d.upstreamMicros(),
                d.inputSha256(),
                d.outputSha256(),
                d.reasons(),
                d.notes(),
                d.content(),
                d.traceId(),
                build);
    }

    @Test
    void anUnauthenticatedFailedDecisionAndAnEventDecodeToThemselves() {
        var failed = new Decision(
                "d-2",
                AT,
                null,
                RequestKind.EMBEDDING,
                null,
                null,
                null,
                null,
                false,
                new Outcome.Failed(new Stop("upstream", 502, "api_error", "upstream_failed", "gone", null)),
                Usage.NONE,
                null,
                3,
                0,
                "ef".repeat(32),
                null,
                List.of(),
                List.of(),
                null);
        var record = new AuditRecord.OfDecision(failed, null, null);
        var event = new AuditEvent("e-1", AT, null, "cli:ops", "config.applied", null, Map.of("b", "2", "a", "1"));

        assertThat(AuditHash.decode(AuditHash.canonical(record))).isEqualTo(record);
        assertThat(AuditHash.decode(AuditHash.canonical(event))).isEqualTo(event);
    }

    /** An event encoded as canonical(...) would, but with its details not sorted by name. */
    private static byte[] eventWithDetailsOutOfOrder() throws IOException {
        var bytes = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes)) {
            for (String text : List.of("airlock.event/1", "e-1")) {
                text(out, text);
            }
            out.writeLong(AT.getEpochSecond());
            out.writeLong(AT.getNano());
            for (String text : List.of("acme", "key:k1", "key.created", "k2")) {
                text(out, text);
            }
            out.writeInt(2);
            for (String text : List.of("b", "2", "a", "1")) {
                text(out, text);
            }
        }
        return bytes.toByteArray();
    }

    private static void text(DataOutputStream out, String value) throws IOException {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    @Test
    void bytesThatAreNotARecord_areRefusedWithAReason() throws Exception {
        byte[] canonical = AuditHash.canonical(
                new AuditEvent("e-1", AT, "acme", "key:k1", "key.created", "k2", Map.of("role", "app")));

        for (int cut = 1; cut < canonical.length; cut++) {
            byte[] truncated = Arrays.copyOf(canonical, canonical.length - cut);
            assertThatThrownBy(() -> AuditHash.decode(truncated))
                    .as("cut by " + cut)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> AuditHash.decode(Arrays.copyOf(canonical, canonical.length + 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("after its last field");
        assertThatThrownBy(() -> AuditHash.decode(eventWithDetailsOutOfOrder()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not its canonical encoding");
        assertThatThrownBy(() -> AuditHash.decode(new byte[] {0, 0, 0, 1, 'x'}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a canonical audit record");
    }
}
