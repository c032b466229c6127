package dev.airlock.auth;

import dev.airlock.audit.Sha256;
import dev.airlock.decision.Role;
import dev.airlock.pipeline.Authenticate;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Makes and reads API keys of the form {@code ak_<id>_<secret>}: the id finds the stored record, the secret
 * (32 random bytes) proves possession. Only the secret's SHA-256 is stored; a fast hash suffices because the
 * secret has 256 bits of entropy, unlike a password.
 */
public final class ApiKeys {
    private static final String PREFIX = "ak_";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private ApiKeys() {}

    /** A freshly made key: the record to store and the key string to hand out once. */
    public record Issued(ApiKeyRecord record, String key) {}

    public static Issued issue(String tenant, Role role, String name, Instant now, @Nullable Instant expiresAt) {
        requireTenant(tenant);
        String id = HEX.formatHex(randomBytes(6));
        String secret = HEX.formatHex(randomBytes(32));
        var record = new ApiKeyRecord(id, tenant, role, name, sha256Hex(secret), now, expiresAt, null);
        return new Issued(record, PREFIX + id + "_" + secret);
    }

    /**
     * Makes a key from an id and secret the operator chose (config bootstrap). The client presents it as
     * {@code ak_<id>_<secret>}.
     */
    public static Issued fromSecret(String id, String tenant, Role role, String name, String secret, Instant now) {
        requireTenant(tenant);
        if (id == null || !id.matches("[a-z0-9][a-z0-9-]{0,31}")) {
            throw new IllegalArgumentException(
                    "key id '" + id + "' must be 1-32 characters of a-z, 0-9 or '-', starting with a letter or digit");
        }
        if (secret == null || secret.length() < 24) {
            throw new IllegalArgumentException("key '" + id + "': secret must be at least 24 characters");
        }
        var record = new ApiKeyRecord(id, tenant, role, name, sha256Hex(secret), now, null, null);
        return new Issued(record, PREFIX + id + "_" + secret);
    }

    /** The parts of a presented key string, if it has the shape of one. */
    public record Presented(String id, String secret) {}

    public static Optional<Presented> parse(String key) {
        if (key == null || !key.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int sep = key.indexOf('_', PREFIX.length());
        if (sep < 0 || sep == key.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new Presented(key.substring(PREFIX.length(), sep), key.substring(sep + 1)));
    }

    /**
     * The authenticate stage: checks {@code ak_<id>_<secret>} keys against the stored records (expired and revoked
     * keys are refused), e.g. {@code Pipeline.builder().authenticate(ApiKeys.authenticator(keyStore, clock))}.
     */
    public static Authenticate authenticator(KeyStore keys, Clock clock) {
        return new KeyAuthenticator(keys, clock);
    }

    /** Whether a presented secret matches the stored key, in time independent of where they differ. */
    public static boolean matches(ApiKeyRecord stored, String secret) {
        byte[] expected = HEX.parseHex(stored.secretSha256());
        byte[] actual = HEX.parseHex(sha256Hex(secret));
        return MessageDigest.isEqual(expected, actual);
    }

    public static String sha256Hex(String value) {
        return HEX.formatHex(sha256(value.getBytes(StandardCharsets.UTF_8)));
    }

    public static byte[] sha256(byte[] value) {
        return Sha256.digest().digest(value);
    }

    private static void requireTenant(String tenant) {
        if (tenant == null || !tenant.matches("[a-z0-9][a-z0-9_.-]{0,62}")) {
            throw new IllegalArgumentException("tenant '" + tenant
                    + "' must be 1-63 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit");
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
