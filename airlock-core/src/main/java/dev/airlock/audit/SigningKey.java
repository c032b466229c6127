package dev.airlock.audit;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The public half of a checkpoint signing key, as the store keeps it so that anyone can check old checkpoints after
 * the key was rotated.
 *
 * @param keyId the first 16 hex digits of SHA-256 over the encoded public key
 * @param publicKey the Ed25519 public key, X.509 SubjectPublicKeyInfo DER, base64
 * @param createdAt when it was made
 * @param retiredAt when a newer key replaced it, or null while it signs
 */
public record SigningKey(
        String keyId,
        String publicKey,
        Instant createdAt,
        @Nullable Instant retiredAt) {
    public SigningKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** The key id for an encoded public key. */
    public static String idOf(byte[] encodedPublicKey) {
        return HexFormat.of()
                .formatHex(Sha256.digest().digest(encodedPublicKey))
                .substring(0, 16);
    }

    public PublicKey decode() {
        try {
            return KeyFactory.getInstance("Ed25519")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKey)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("signing key " + keyId + " is not a valid Ed25519 public key", e);
        }
    }
}
