package dev.airlock.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * A statement, made in the transaction that wrote them, that records {@code first} to {@code last} were written by a
 * node holding the signing key: their chain links run from {@code previous} to {@code head}. Rows that reach the
 * database any other way have no seal, and no checkpoint is signed over them.
 *
 * <p>A seal is authenticated with HMAC-SHA-256 under a secret derived from the signing key ({@link
 * AuditSigner#sealSecret()}), not signed with Ed25519: one is made per committed batch on the path every Decision
 * waits on, and an Ed25519 signature costs the JDK about 0.6 ms (a MAC about 1 µs). So only a holder of the key file
 * can check a seal; seals matter only until the next checkpoint, which anyone can check with the public key. The MAC
 * covers the UTF-8 bytes of {@link #message()}:
 *
 * <pre>
 * airlock.seal/1\n{first}\n{last}\n{previous hex}\n{head hex}\n{sealedAt, ISO-8601 UTC}\n{keyId}\n
 * </pre>
 *
 * @param first the first position sealed
 * @param last the last position sealed
 * @param previous the chain link of record {@code first - 1} ({@link AuditHash#GENESIS} for the first record)
 * @param head the chain link of record {@code last}
 * @param sealedAt when the batch was written
 * @param keyId the id of the signing key whose secret made the MAC
 * @param mac the HMAC-SHA-256, base64
 */
public record Seal(
        long first,
        long last,
        String previous,
        String head,
        Instant sealedAt,
        String keyId,
        @Nullable String mac) {
    public Seal {
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(sealedAt, "sealedAt");
        Objects.requireNonNull(keyId, "keyId");
        if (first < 1 || last < first) {
            throw new IllegalArgumentException(
                    "a seal covers positions first..last with 1 <= first <= last, not " + first + ".." + last);
        }
    }

    /** The bytes the MAC covers. */
    public byte[] message() {
        return ("airlock.seal/1\n" + first + "\n" + last + "\n" + previous + "\n" + head + "\n" + sealedAt + "\n"
                        + keyId + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** True iff {@link #mac} is this seal's MAC under {@code secret}. */
    public boolean madeWith(byte[] secret) {
        if (mac == null) {
            return false;
        }
        try {
            return MessageDigest.isEqual(Base64.getDecoder().decode(mac), mac(secret, message()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The seal of records {@code first..last}, with its MAC under {@code secret}. */
    static Seal make(
            byte[] secret, String keyId, long first, long last, String previous, String head, Instant sealedAt) {
        Seal unsealed = new Seal(first, last, previous, head, sealedAt, keyId, null);
        String mac = Base64.getEncoder().encodeToString(mac(secret, unsealed.message()));
        return new Seal(first, last, previous, head, sealedAt, keyId, mac);
    }

    private static byte[] mac(byte[] secret, byte[] message) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return hmac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks HmacSHA256", e);
        }
    }
}
