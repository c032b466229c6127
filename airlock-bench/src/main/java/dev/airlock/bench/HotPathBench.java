package dev.airlock.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.audit.AuditHash;
import dev.airlock.audit.AuditRecord;
import dev.airlock.decision.Decision;
import dev.airlock.pii.PiiDetector;
import dev.airlock.policy.Policies;
import dev.airlock.policy.Policy;
import dev.airlock.policy.Rule;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU pieces of one chat call on the lean and full paths, each alone: the request body parsed, the Decision's
 * canonical encoding and its leaf hash and chain link (what the writer computes per Decision), the PII scan of the
 * user's message, and one CEL policy of two rules judged. See docs/benchmarks.md ("Hot path: profile and fixes").
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class HotPathBench {
    static final String MESSAGE = "Summarise the debt position of the applicant, who wrote from"
            + " jane.doe@example.com about her loan of 22,000 and can be called on +44 20 7946 0958.";
    private static final byte[] BODY = ("{\"model\":\"assistant\",\"messages\":[{\"role\":\"system\",\"content\":"
                    + "\"You draft explanations of credit decisions.\"},{\"role\":\"user\",\"content\":\"" + MESSAGE
                    + "\"}],\"temperature\":0.2,\"max_tokens\":256}")
            .getBytes(StandardCharsets.UTF_8);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PiiDetector detector = new PiiDetector();
    private Decision decision;
    private byte[] canonical;
    private Policies policies;
    private Map<String, Object> context;

    @Setup
    public void setUp() {
        decision = AuditThroughput.decision(7);
        canonical = AuditHash.canonical(new AuditRecord.OfDecision(decision, null, null));
        policies = Policies.compile(List.of(new Policy(
                "house",
                "1",
                List.of(),
                List.of(
                        new Rule(
                                "no-cards-out",
                                Rule.Stage.INPUT,
                                "'card' in guard.pii && provider.trust == 'external'",
                                Rule.Effect.REDACT,
                                "PII_TO_EXTERNAL"),
                        new Rule(
                                "suspicious",
                                Rule.Stage.INPUT,
                                "guard.injection >= 0.99",
                                Rule.Effect.DENY,
                                "SUSPECTED_INJECTION")),
                List.of())));
        context = Map.of(
                "tenant", "bench",
                "model", Map.of("name", "assistant", "version", "1"),
                "request", Map.of("kind", "chat", "text", MESSAGE, "metadata", Map.of()),
                "provider", Map.of("name", "upstream", "trust", "external"),
                "guard", Map.of("pii", List.of("email", "phone"), "injection", 0.02));
    }

    /** The request body as the server first reads it: a JSON tree. */
    @Benchmark
    public JsonNode requestParse() throws Exception {
        return JSON.readTree(BODY);
    }

    /** The Decision's canonical bytes: what the audit log stores and hashes. */
    @Benchmark
    public byte[] decisionEncode() {
        return AuditHash.canonical(new AuditRecord.OfDecision(decision, null, null));
    }

    /** Leaf hash of the canonical bytes and the chain link over the previous record's hash. */
    @Benchmark
    public String decisionHash() {
        return AuditHash.link(AuditHash.GENESIS, AuditHash.leafOf(canonical));
    }

    /** The PII detector over the user's message (an e-mail address and a phone number in 26 words). */
    @Benchmark
    public Object piiScan() {
        return detector.find(MESSAGE);
    }

    /** One policy version of two CEL rules judged at input. */
    @Benchmark
    public Policies.Verdict celJudge() {
        return policies.judge(List.of("house@1"), Rule.Stage.INPUT, context);
    }
}
