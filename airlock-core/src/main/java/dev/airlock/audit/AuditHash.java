package dev.airlock.audit;

import dev.airlock.decision.Decision;
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
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The hashes of the audit log. A record's leaf hash commits to every field of its Decision or event (RFC 9162 style,
 * with a {@code 0x00} prefix); the leaves are the leaves of the {@link MerkleTree} ({@code 0x01} interior nodes); each
 * chain link commits to the previous link and the leaf ({@code 0x02} prefix), so changing, removing, reordering or
 * inserting any record changes every link after it. The three prefixes keep leaves, tree nodes and links apart.
 *
 * <pre>
 * leaf(r)          = SHA-256(0x00 || canonical(r))
 * link(prev, leaf) = SHA-256(0x02 || prev || leaf)      prev of the first record = 32 zero bytes
 * canonical(d)     = "airlock.decision/2", then each field of the Decision in declaration order up to its notes,
 *                    then the SHA-256 of its stored content (or null); a Decision with a trace id is
 *                    "airlock.decision/3": the same, then the trace id (records made before trace ids keep their
 *                    bytes and hashes); a Decision with the build of Airlock that made it is "airlock.decision/4":
 *                    each field up to its notes, then the trace id (or null), that build, and the SHA-256 of its
 *                    stored content last (where the verifier finds it); a Decision made for a workflow step is
 *                    "airlock.decision/5": each field up to its notes, the trace id, the build (each or null), the
 *                    run id and step key, and the SHA-256 of its stored content last
 * canonical(e)     = "airlock.event/1", id, time, tenant, actor, action, target, then the details sorted by name
 *                    strings: 4-byte big-endian length and UTF-8 bytes (length -1 for null); counts, token numbers and
 *                    durations 8-byte big-endian; the HTTP status and list sizes 4-byte; booleans one byte; a time is
 *                    its epoch second and nano (8 bytes each)
 * </pre>
 *
 * docs/audit.md gives the exact field order for checking records without Airlock.
 */
public final class AuditHash {
    /** The link before the first record. */
    public static final String GENESIS = "0".repeat(64);

    private static final HexFormat HEX = HexFormat.of();
    private static final String DECISION = "airlock.decision/2";
    private static final String TRACED_DECISION = "airlock.decision/3";
    private static final String BUILT_DECISION = "airlock.decision/4";
    private static final String STEP_DECISION = "airlock.decision/5";

    private AuditHash() {}

    public static String leaf(AuditRecord record) {
        return leafOf(canonical(record));
    }

    /**
     * The record that {@code canonical} encodes: the inverse of {@link #canonical(AuditRecord)}. A Decision comes back
     * without content ({@code storedContent} null; the digest it committed to in {@code contentSha256}).
     *
     * @throws IllegalArgumentException when the bytes are not a canonical record
     */
    public static AuditRecord decode(byte[] canonical) {
        var in = new Reader(canonical);
        AuditRecord record;
        try {
            String format = in.text();
            if (DECISION.equals(format)) {
                record = in.decision(DECISION);
            } else if (TRACED_DECISION.equals(format)) {
                record = in.decision(TRACED_DECISION);
            } else if (BUILT_DECISION.equals(format)) {
                record = in.decision(BUILT_DECISION);
            } else if (STEP_DECISION.equals(format)) {
                record = in.decision(STEP_DECISION);
            } else if ("airlock.event/1".equals(format)) {
                record = in.event();
            } else {
                throw new IllegalArgumentException("not a canonical audit record (format '" + format + "')");
            }
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("a canonical audit record that ends inside a field", e);
        } catch (NullPointerException | DateTimeException e) {
            throw new IllegalArgumentException(
                    "a canonical audit record with an impossible field: " + e.getMessage(), e);
        }
        if (in.remaining() != 0) {
            throw new IllegalArgumentException(
                    "a canonical audit record with " + in.remaining() + " bytes after its last field");
        }
        // Only one encoding of a record hashes to its leaf: bytes that decode but encode otherwise are not a record.
        if (!Arrays.equals(canonical(record), canonical)) {
            throw new IllegalArgumentException("bytes that decode to a record but are not its canonical encoding");
        }
        return record;
    }

    /** {@code SHA-256(0x00 || canonical)} as hex. */
    public static String leafOf(byte[] canonical) {
        MessageDigest md = Sha256.digest();
        md.update((byte) 0x00);
        md.update(canonical);
        return HEX.formatHex(md.digest());
    }

    /** The bytes a record's leaf hash covers. */
    public static byte[] canonical(AuditRecord record) {
        return switch (record) {
            case AuditRecord.OfDecision d -> canonical(d.decision(), d.contentSha256());
            case AuditEvent e -> canonical(e);
        };
    }

    public static String link(String previous, String leaf) {
        MessageDigest md = Sha256.digest();
        md.update((byte) 0x02);
        md.update(HEX.parseHex(previous));
        md.update(HEX.parseHex(leaf));
        return HEX.formatHex(md.digest());
    }

    private static byte[] canonical(AuditEvent e) {
        var bytes = new ByteArrayOutputStream(256);
        try (var out = new DataOutputStream(bytes)) {
            text(out, "airlock.event/1");
            text(out, e.id());
            out.writeLong(e.at().getEpochSecond());
            out.writeLong(e.at().getNano());
            text(out, e.tenant());
            text(out, e.actor());
            text(out, e.action());
            text(out, e.target());
            out.writeInt(e.details().size());
            for (var detail : e.details().entrySet()) {
                text(out, detail.getKey());
                text(out, detail.getValue());
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }

    private static byte[] canonical(Decision d, @Nullable String contentSha256) {
        var bytes = new ByteArrayOutputStream(1024);
        try (var out = new DataOutputStream(bytes)) {
            text(out, format(d));
            text(out, d.id());
            out.writeLong(d.startedAt().getEpochSecond());
            out.writeLong(d.startedAt().getNano());
            text(out, d.principal() == null ? null : d.principal().tenant());
            text(out, d.principal() == null ? null : d.principal().keyId());
            text(out, d.principal() == null ? null : d.principal().role().id());
            text(out, d.kind().id());
            text(out, d.model());
            text(out, d.modelVersion());
            text(out, d.provider());
            text(out, d.upstreamModel());
            out.writeBoolean(d.stream());
            outcome(out, d.outcome());
            out.writeLong(d.usage().inputTokens());
            out.writeLong(d.usage().outputTokens());
            out.writeLong(d.usage().cachedInputTokens());
            text(out, d.cost() == null ? null : d.cost().toPlainString());
            out.writeLong(d.latencyMicros());
            out.writeLong(d.upstreamMicros());
            text(out, d.inputSha256());
            text(out, d.outputSha256());
            out.writeInt(d.reasons().size());
            for (String reason : d.reasons()) {
                text(out, reason);
            }
            out.writeInt(d.notes().size());
            for (StageNote note : d.notes()) {
                text(out, note.stage());
                text(out, note.verdict());
                text(out, note.detail());
            }
            WorkflowStep step = d.workflowStep();
            if (step != null) {
                text(out, d.traceId());
                text(out, d.airlockVersion());
                text(out, step.runId());
                text(out, step.step());
                text(out, contentSha256);
            } else if (d.airlockVersion() != null) {
                text(out, d.traceId());
                text(out, d.airlockVersion());
                text(out, contentSha256);
            } else {
                text(out, contentSha256);
                if (d.traceId() != null) {
                    text(out, d.traceId());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The newest format a Decision needs: older records keep the bytes (and hashes) they were made with. */
    private static String format(Decision d) {
        if (d.workflowStep() != null) {
            return STEP_DECISION;
        }
        if (d.airlockVersion() != null) {
            return BUILT_DECISION;
        }
        return d.traceId() == null ? DECISION : TRACED_DECISION;
    }

    private static void outcome(DataOutputStream out, Outcome outcome) throws IOException {
        text(out, outcome.label());
        Stop stop = switch (outcome) {
            case Outcome.Answered answered -> null;
            case Outcome.Refused refused -> refused.stop();
            case Outcome.Failed failed -> failed.stop();
        };
        out.writeInt(outcome.httpStatus());
        text(out, stop == null ? null : stop.stage());
        text(out, stop == null ? null : stop.type());
        text(out, stop == null ? null : stop.code());
        text(out, stop == null ? null : stop.message());
        text(out, stop == null ? null : stop.param());
    }

    /** Reads the fields back in the order {@link #canonical(AuditRecord)} wrote them. */
    private static final class Reader {
        private final ByteBuffer in;

        Reader(byte[] bytes) {
            this.in = ByteBuffer.wrap(bytes);
        }

        int remaining() {
            return in.remaining();
        }

        AuditEvent event() {
            String id = requiredText("id");
            Instant at = instant();
            String tenant = text();
            String actor = requiredText("actor");
            String action = requiredText("action");
            String target = text();
            int size = count();
            Map<String, String> details = new TreeMap<>();
            for (int i = 0; i < size; i++) {
                details.put(text(), text());
            }
            return new AuditEvent(id, at, tenant, actor, action, target, details);
        }

        AuditRecord.OfDecision decision(String format) {
            String id = requiredText("id");
            Instant startedAt = instant();
            String tenant = text();
            String keyId = text();
            String role = text();
            Principal principal = tenant == null
                    ? null
                    : new Principal(tenant, requiredText(keyId, "keyId"), Role.parse(requiredText(role, "role")));
            RequestKind kind = RequestKind.valueOf(requiredText("kind").toUpperCase(Locale.ROOT));
            String model = text();
            String modelVersion = text();
            String provider = text();
            String upstreamModel = text();
            boolean stream = in.get() != 0;
            String label = requiredText("outcome");
            int status = in.getInt();
            String stage = text();
            String type = text();
            String code = text();
            String message = text();
            String param = text();
            Outcome outcome = switch (label) {
                case "answered" -> new Outcome.Answered();
                case "refused" -> new Outcome.Refused(stop(stage, status, type, code, message, param));
                case "failed" -> new Outcome.Failed(stop(stage, status, type, code, message, param));
                default -> throw new IllegalArgumentException("unknown outcome '" + label + "'");
            };
            Usage usage = new Usage(in.getLong(), in.getLong(), in.getLong());
            String cost = text();
            long latency = in.getLong();
            long upstream = in.getLong();
            String inputSha = text();
            String outputSha = text();
            int reasonCount = count();
            List<String> reasons = new ArrayList<>(reasonCount);
            for (int i = 0; i < reasonCount; i++) {
                reasons.add(requiredText("reason"));
            }
            int noteCount = count();
            List<StageNote> notes = new ArrayList<>(noteCount);
            for (int i = 0; i < noteCount; i++) {
                notes.add(new StageNote(requiredText("stage"), requiredText("verdict"), text()));
            }
            String contentSha;
            String traceId = null;
            String airlockVersion = null;
            WorkflowStep step = null;
            if (STEP_DECISION.equals(format)) {
                traceId = text();
                airlockVersion = text();
                step = new WorkflowStep(requiredText("runId"), requiredText("step"));
                contentSha = text();
            } else if (BUILT_DECISION.equals(format)) {
                traceId = text();
                airlockVersion = requiredText("airlockVersion");
                contentSha = text();
            } else {
                contentSha = text();
                if (TRACED_DECISION.equals(format)) {
                    traceId = requiredText("traceId");
                }
            }
            var decision = new Decision(
                    id,
                    startedAt,
                    principal,
                    kind,
                    model,
                    modelVersion,
                    provider,
                    upstreamModel,
                    stream,
                    outcome,
                    usage,
                    cost == null ? null : new BigDecimal(cost),
                    latency,
                    upstream,
                    inputSha,
                    outputSha,
                    reasons,
                    notes,
                    null,
                    traceId,
                    airlockVersion,
                    step);
            return new AuditRecord.OfDecision(decision, contentSha, null);
        }

        private Instant instant() {
            return Instant.ofEpochSecond(in.getLong(), in.getLong());
        }

        private int count() {
            int n = in.getInt();
            if (n < 0 || n > in.remaining()) {
                throw new IllegalArgumentException(
                        "a list of " + n + " entries in a record of " + in.limit() + " bytes");
            }
            return n;
        }

        /** The stop of a refused or failed Decision, whose texts it always has (an answered one has none). */
        private static Stop stop(
                @Nullable String stage,
                int status,
                @Nullable String type,
                @Nullable String code,
                @Nullable String message,
                @Nullable String param) {
            return new Stop(
                    requiredText(stage, "stop stage"),
                    status,
                    requiredText(type, "stop type"),
                    requiredText(code, "stop code"),
                    requiredText(message, "stop message"),
                    param);
        }

        /** The next text, which the record always has. */
        String requiredText(String field) {
            return requiredText(text(), field);
        }

        private static String requiredText(@Nullable String value, String field) {
            return Objects.requireNonNull(value, () -> "the record has no " + field);
        }

        @Nullable
        String text() {
            int length = in.getInt();
            if (length == -1) {
                return null;
            }
            if (length < 0 || length > in.remaining()) {
                throw new IllegalArgumentException(
                        "a text of " + length + " bytes where " + in.remaining() + " remain");
            }
            String value = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
            in.position(in.position() + length);
            return value;
        }
    }

    private static void text(DataOutputStream out, @Nullable String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }
}
