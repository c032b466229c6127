package dev.airlock.server.audit;

import dev.airlock.audit.AuditChain;
import dev.airlock.audit.AuditSigner;
import dev.airlock.audit.Checkpointer;
import dev.airlock.audit.SigningKey;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.store.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Ed25519 key that signs audit checkpoints, kept in a file outside the database (so that write access to the
 * database is not enough to forge a checkpoint); its public half is published in the store. Made on first use.
 *
 * <pre>
 * # Airlock audit signing key ...
 * private: base64 PKCS#8
 * public: base64 X.509 SubjectPublicKeyInfo
 * </pre>
 */
public final class SigningKeyFile {
    private final Path file;

    public SigningKeyFile(Path file) {
        this.file = file.toAbsolutePath().normalize();
    }

    /** Where the configuration puts the key: {@code audit.signing_key}, else beside the SQLite file. */
    public static SigningKeyFile of(AirlockConfig config) {
        if (config.audit().signingKey() != null) {
            return new SigningKeyFile(config.resolve(config.audit().signingKey()));
        }
        String url = config.store().url();
        if (url.startsWith("jdbc:sqlite:")) {
            String db = url.substring("jdbc:sqlite:".length())
                    .replaceFirst("^file:", "")
                    .replaceFirst("\\?.*$", "");
            return new SigningKeyFile(directoryOf(Path.of(db)).resolve("audit-signing.key"));
        }
        return new SigningKeyFile(config.resolve(".airlock/audit-signing.key"));
    }

    public Path path() {
        return file;
    }

    /** The key in the file (made now if there is none), published in {@code chain} if it is not yet. */
    public AuditSigner loadOrCreate(AuditChain chain, Instant now) {
        AuditSigner signer = Files.exists(file) ? read() : write(AuditSigner.generate(), now);
        boolean published = chain.signingKeys().stream().anyMatch(k -> k.keyId().equals(signer.keyId()));
        if (!published) {
            chain.addSigningKey(signer.publicKey(now));
        }
        return signer;
    }

    /**
     * Replaces the key with a new one: the old file is kept beside it as {@code <name>.<key id>.retired}, the new
     * public key is published and the old one marked retired (it still verifies the checkpoints it signed).
     */
    public SigningKey rotate(AuditChain chain, Instant now) {
        if (Files.exists(file)) {
            AuditSigner old = read();
            try {
                Files.move(
                        file,
                        file.resolveSibling(file.getFileName() + "." + old.keyId() + ".retired"),
                        StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot set aside the old signing key " + file, e);
            }
        }
        AuditSigner next = write(AuditSigner.generate(), now);
        SigningKey published = next.publicKey(now);
        chain.addSigningKey(published);
        return published;
    }

    /**
     * The key in the file, for a command that appends to the audit log: made now only if the store has no signing key
     * yet (a fresh installation). Empty when the store has keys but this machine does not hold the file: what the
     * command writes is then unsealed, and no node signs a checkpoint over it until an operator accepts it.
     */
    public Optional<AuditSigner> loadForWriting(AuditChain chain, Instant now) {
        if (!Files.exists(file) && !chain.signingKeys().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(loadOrCreate(chain, now));
    }

    /**
     * The public keys of this file and of the retired ones beside it ({@code <name>.<key id>.retired}), by key id:
     * the keys a verifier on this machine can trust without believing the database.
     */
    public Map<String, PublicKey> trustedKeys() {
        Map<String, PublicKey> keys = new HashMap<>();
        onMachine()
                .forEach((id, signer) ->
                        keys.put(id, signer.publicKey(Instant.EPOCH).decode()));
        return keys;
    }

    /**
     * The seal secrets of this file and of the retired ones beside it, by key id: what checks the seals of records no
     * checkpoint covers yet ({@link dev.airlock.audit.Seal}).
     */
    public Map<String, byte[]> sealKeys() {
        Map<String, byte[]> keys = new HashMap<>();
        onMachine().forEach((id, signer) -> keys.put(id, signer.sealSecret()));
        return keys;
    }

    /** Both of the above, read now: what a node's checkpoints trust, and read again after a rotation. */
    public Checkpointer.Keys keys() {
        return new Checkpointer.Keys(trustedKeys(), sealKeys());
    }

    /** The key pairs of this file and of the retired ones beside it, by key id. */
    private Map<String, AuditSigner> onMachine() {
        Map<String, AuditSigner> keys = new HashMap<>();
        if (!Files.isDirectory(directoryOf(file))) {
            return keys;
        }
        String prefix = file.getFileName().toString();
        try (var siblings = Files.list(file.getParent())) {
            for (Path p : siblings.toList()) {
                String name = p.getFileName().toString();
                if (name.equals(prefix) || (name.startsWith(prefix + ".") && name.endsWith(".retired"))) {
                    AuditSigner signer = read(p);
                    keys.put(signer.keyId(), signer);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + file.getParent(), e);
        }
        return keys;
    }

    private AuditSigner read() {
        return read(file);
    }

    private static AuditSigner read(Path file) {
        Map<String, String> fields = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                int colon = line.indexOf(':');
                if (!line.startsWith("#") && colon > 0) {
                    fields.put(
                            line.substring(0, colon).strip(),
                            line.substring(colon + 1).strip());
                }
            }
            return AuditSigner.decode(
                    Base64.getDecoder().decode(fields.get("private")),
                    Base64.getDecoder().decode(fields.get("public")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit signing key " + file, e);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalStateException(
                    "the audit signing key file " + file + " is damaged (expected 'private:' and 'public:' lines)", e);
        }
    }

    private AuditSigner write(AuditSigner signer, Instant now) {
        String text = "# Airlock audit signing key " + signer.keyId() + ", made " + now
                + ". Keep it secret and backed up; its public half is in the store.\n"
                + "private: " + Base64.getEncoder().encodeToString(signer.encodedPrivate()) + "\n"
                + "public: " + Base64.getEncoder().encodeToString(signer.encodedPublic()) + "\n";
        try {
            PrivateFiles.createDirectories(directoryOf(file));
            Path temporary = file.resolveSibling(file.getFileName() + ".new");
            Files.deleteIfExists(temporary);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(
                        temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(temporary, text);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit signing key " + file, e);
        }
        return signer;
    }

    /** The directory a file is in; a file's absolute path always has one. */
    private static Path directoryOf(Path file) {
        return Objects.requireNonNull(file.toAbsolutePath().getParent(), "a file's absolute path has a parent");
    }
}
