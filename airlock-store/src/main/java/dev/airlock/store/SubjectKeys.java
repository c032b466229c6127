package dev.airlock.store;

import dev.airlock.audit.Sha256;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * One AES-256 key per data subject (and tenant) for crypto-shredding: content kept for a named subject is encrypted
 * under that subject's key, with the record id as associated data, and erasing the subject destroys the key.
 *
 * <pre>stored content = "enc:v1:" key id ":" base64(12-byte IV || AES-256-GCM ciphertext and 16-byte tag)</pre>
 */
final class SubjectKeys {
    static final String PREFIX = "enc:v1:";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private SubjectKeys() {}

    /** A key as stored; {@code material} is null once erased. */
    record SubjectKey(String keyId, byte @Nullable [] material) {}

    /** Who a subject is in the store: a digest of tenant and subject id, never the id itself. */
    static String ref(@Nullable String tenant, String subject) {
        return Sha256.hex("airlock.subject/1\n" + tenant + "\n" + subject);
    }

    /** The subject's live key, made on first use (or after an erasure). Call inside the writing transaction. */
    static SubjectKey activeKey(Handle handle, String tenant, String subjectRef, Instant now) {
        Optional<SubjectKey> live = handle.createQuery(
                        "SELECT key_id, key_material FROM subject_keys WHERE subject_ref = :ref AND erased_at IS NULL")
                .bind("ref", subjectRef)
                .map((rs, ctx) -> new SubjectKey(
                        rs.getString("key_id"), Base64.getDecoder().decode(rs.getString("key_material"))))
                .findOne();
        if (live.isPresent()) {
            return live.get();
        }
        byte[] material = new byte[32];
        RANDOM.nextBytes(material);
        String keyId = "sk_" + HexFormat.of().formatHex(randomBytes(12));
        handle.createUpdate("INSERT INTO subject_keys (key_id, subject_ref, tenant, key_material, created_at)"
                        + " VALUES (:id, :ref, :tenant, :material, :at)")
                .bind("id", keyId)
                .bind("ref", subjectRef)
                .bind("tenant", tenant)
                .bind("material", Base64.getEncoder().encodeToString(material))
                .bind("at", EpochNanos.of(now, "now"))
                .execute();
        return new SubjectKey(keyId, material);
    }

    static String encrypt(SubjectKey key, String recordId, String plaintext) {
        byte[] iv = randomBytes(IV_BYTES);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(
                    Cipher.ENCRYPT_MODE, new SecretKeySpec(key.material(), "AES"), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(recordId.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(iv.length + sealed.length)
                    .put(iv)
                    .put(sealed)
                    .array();
            return PREFIX + key.keyId() + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /** The plaintext, or empty when the key was erased. Fails if the ciphertext was altered. */
    static Optional<String> decrypt(byte @Nullable [] material, String recordId, String stored) {
        if (material == null) {
            return Optional.empty();
        }
        String body = stored.substring(stored.indexOf(':', PREFIX.length()) + 1);
        byte[] bytes = Base64.getDecoder().decode(body);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(
                    Cipher.DECRYPT_MODE,
                    new SecretKeySpec(material, "AES"),
                    new GCMParameterSpec(TAG_BITS, bytes, 0, IV_BYTES));
            cipher.updateAAD(recordId.getBytes(StandardCharsets.UTF_8));
            return Optional.of(
                    new String(cipher.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES), StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the sealed content of '" + recordId + "' fails authentication", e);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
