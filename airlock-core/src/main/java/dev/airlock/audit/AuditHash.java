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
 * The hashes of the audit chain. A record's leaf hash commits to every field of its Decision (RFC 6962 style, with a
 * {@code 0x00} prefix); each link commits to the previous link and the leaf ({@code 0x01} prefix), so changing,
 * removing, reordering or inserting any record changes every link after it.
 *
 * <pre>
 * leaf(d)          = SHA-256(0x00 || canonical(d))
 * link(prev, leaf) = SHA-256(0x01 || prev || leaf)      prev of the first record = 32 zero bytes
 * canonical(d)     = "airlock.decision/1", then each field in declaration order, each string as a 4-byte big-endian
 *                    length and its UTF-8 bytes (length -1 for null), numbers as 8-byte big-endian
 * </pre>
 */
public final class AuditHash {
    /** The link before the first record. */
    public static final String GENESIS = "0".repeat(64);

    private static final HexFormat HEX = HexFormat.of();

    private AuditHash() {}

    public static String leaf(Decision d) {
        MessageDigest md = Sha256.digest();
        md.update((byte) 0x00);
        md.update(canonical(d));
        return HEX.formatHex(md.digest());
    }

    public static String link(String previous, String leaf) {
        MessageDigest md = Sha256.digest();
        md.update((byte) 0x01);
        md.update(HEX.parseHex(previous));
        md.update(HEX.parseHex(leaf));
        return HEX.formatHex(md.digest());
    }

    /** The bytes a Decision's leaf hash covers. */
    static byte[] canonical(Decision d) {
        var bytes = new ByteArrayOutputStream(512);
        try (var out = new DataOutputStream(bytes)) {
            text(out, "airlock.decision/1");
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
