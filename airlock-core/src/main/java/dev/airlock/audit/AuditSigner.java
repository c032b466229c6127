package dev.airlock.audit;

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

    private AuditSigner(KeyPair keys) {
        this.keys = keys;
        this.keyId = SigningKey.idOf(keys.getPublic().getEncoded());
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

    public Checkpoint sign(long treeSize, String root, String head, Instant at) {
        Checkpoint unsigned = new Checkpoint(treeSize, root, head, at, keyId, null);
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(keys.getPrivate());
            signer.update(unsigned.message());
            String signature = Base64.getEncoder().encodeToString(signer.sign());
            return new Checkpoint(treeSize, root, head, at, keyId, signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }
}
