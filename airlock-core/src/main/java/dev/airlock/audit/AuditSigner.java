package dev.airlock.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;

/** Signs checkpoints with an Ed25519 key pair. The private key never enters the database. */
public final class AuditSigner {
    private final KeyPair keys;
    private final String keyId;
    private final byte[] sealSecret;

    private AuditSigner(KeyPair keys) {
        this.keys = keys;
        this.keyId = SigningKey.idOf(keys.getPublic().getEncoded());
        var digest = Sha256.digest();
        digest.update("airlock.seal-key/1\n".getBytes(StandardCharsets.UTF_8));
        this.sealSecret = digest.digest(keys.getPrivate().getEncoded());
    }

    /** A new random key pair. */
    public static AuditSigner generate() {
        try {
            return new AuditSigner(KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks Ed25519", e);
        }
    }

    /** A key pair from its encodings (PKCS#8 private, X.509 public). */
    public static AuditSigner decode(byte[] pkcs8Private, byte[] x509Public) {
        try {
            KeyFactory factory = KeyFactory.getInstance("Ed25519");
            return new AuditSigner(new KeyPair(
                    factory.generatePublic(new X509EncodedKeySpec(x509Public)),
                    factory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8Private))));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 key pair: " + e.getMessage(), e);
        }
    }

    public String keyId() {
        return keyId;
    }

    public byte[] encodedPrivate() {
        return keys.getPrivate().getEncoded();
    }

    public byte[] encodedPublic() {
        return keys.getPublic().getEncoded();
    }

    /** The public half, to publish in the store. */
    public SigningKey publicKey(Instant createdAt) {
        return new SigningKey(keyId, Base64.getEncoder().encodeToString(encodedPublic()), createdAt, null);
    }

    /** A checkpoint in the first format, which does not name the checkpoint before it. */
    public Checkpoint sign(long treeSize, String root, String head, Instant at) {
        return sign(new Checkpoint(treeSize, root, head, at, keyId, null, null));
    }

    /**
     * A checkpoint that names the tree size of the checkpoint it extends ({@code previous}, 0 for the first), so that a
     * checkpoint deleted from between two others shows.
     */
    public Checkpoint sign(long treeSize, String root, String head, Instant at, long previous) {
        return sign(new Checkpoint(treeSize, root, head, at, keyId, null, previous));
    }

    /**
     * The secret that authenticates {@link Seal}s: SHA-256 of a label and the private key, so that it is as secret as
     * the key file and needs nothing else kept.
     */
    public byte[] sealSecret() {
        return sealSecret.clone();
    }

    /** Seals records {@code first..last}, whose links run from {@code previous} to {@code head}. */
    public Seal seal(long first, long last, String previous, String head, Instant at) {
        return Seal.make(sealSecret, keyId, first, last, previous, head, at);
    }

    private Checkpoint sign(Checkpoint unsigned) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(keys.getPrivate());
            signer.update(unsigned.message());
            String signature = Base64.getEncoder().encodeToString(signer.sign());
            return new Checkpoint(
                    unsigned.treeSize(),
                    unsigned.root(),
                    unsigned.head(),
                    unsigned.signedAt(),
                    keyId,
                    signature,
                    unsigned.previous());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }
}
