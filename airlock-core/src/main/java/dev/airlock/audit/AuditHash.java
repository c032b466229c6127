package dev.airlock.audit;

import dev.airlock.decision.Decision;
import dev.airlock.decision.Outcome;
import dev.airlock.decision.StageNote;
import dev.airlock.decision.Stop;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The hashes of the audit log. A record's leaf hash commits to every field of its Decision or event (RFC 9162 style,
 * with a {@code 0x00} prefix); the leaves are the leaves of the {@link MerkleTree} ({@code 0x01} interior nodes); each
 * chain link commits to the previous link and the leaf ({@code 0x02} prefix), so changing, removing, reordering or
 * inserting any record changes every link after it. The three prefixes keep leaves, tree nodes and links apart.
 *
 * <pre>
 * leaf(r)          = SHA-256(0x00 || canonical(r))
 * link(prev, leaf) = SHA-256(0x02 || prev || leaf)      prev of the first record = 32 zero bytes
 * canonical(d)     = "airlock.decision/2", then each field of the Decision in declaration order, then the SHA-256
 *                    of its stored content (or null)
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

    private AuditHash() {}

    public static String leaf(AuditRecord record) {
        return leafOf(canonical(record));
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

    private static byte[] canonical(Decision d, String contentSha256) {
        var bytes = new ByteArrayOutputStream(1024);
        try (var out = new DataOutputStream(bytes)) {
            text(out, "airlock.decision/2");
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
            text(out, contentSha256);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
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

    private static void text(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }
}
