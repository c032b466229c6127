package dev.airlock.store;

import dev.airlock.auth.ApiKeyRecord;
import dev.airlock.auth.KeyStore;
import dev.airlock.decision.Role;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** The {@code api_keys} table. */
final class KeyTable implements KeyStore {
    private static final String INSERT = """
            INSERT INTO api_keys (id, tenant, role, name, secret_sha256, created_at, expires_at, revoked_at)
            VALUES (:id, :tenant, :role, :name, :secretSha256, :createdAt, :expiresAt, :revokedAt)
            ON CONFLICT (id) DO NOTHING""";
    private static final String SELECT =
            "SELECT id, tenant, role, name, secret_sha256, created_at, expires_at, revoked_at FROM api_keys";
    private static final String REVOKE =
            "UPDATE api_keys SET revoked_at = :revokedAt WHERE id = :id AND revoked_at IS NULL";

    private final Database database;

    KeyTable(Database database) {
        this.database = database;
    }

    @Override
    public void insertKey(ApiKeyRecord key) {
        int inserted = database.writes()
                .withHandle(handle -> handle.createUpdate(INSERT)
                        .bind("id", key.id())
                        .bind("tenant", key.tenant())
                        .bind("role", key.role().id())
                        .bind("name", key.name())
                        .bind("secretSha256", key.secretSha256())
                        .bind("createdAt", EpochNanos.of(key.createdAt(), "createdAt"))
                        .bind("expiresAt", EpochNanos.of(key.expiresAt(), "expiresAt"))
                        .bind("revokedAt", EpochNanos.of(key.revokedAt(), "revokedAt"))
                        .execute());
        if (inserted == 0) {
            throw new IllegalStateException("API key id '" + key.id() + "' is already taken");
        }
    }

    @Override
    public Optional<ApiKeyRecord> findKey(String id) {
        // Every AI call asks: plain JDBC, without a bound-by-name query's allocation
        return database.reads().withHandle(handle -> {
            try (PreparedStatement query = handle.getConnection().prepareStatement(SELECT + " WHERE id = ?")) {
                query.setString(1, id);
                try (ResultSet row = query.executeQuery()) {
                    return row.next() ? Optional.of(keyAt(row)) : Optional.<ApiKeyRecord>empty();
                }
            } catch (SQLException e) {
                throw new UnableToExecuteStatementException(e, null);
            }
        });
    }

    /** All keys, oldest first. */
    @Override
    public List<ApiKeyRecord> listKeys() {
        return database.reads()
                .withHandle(handle -> handle.createQuery(SELECT + " ORDER BY created_at, id")
                        .map(KeyTable::key)
                        .list());
    }

    @Override
    public boolean revokeKey(String id, Instant at) {
        Long revokedAt = EpochNanos.of(at, "revokedAt");
        return database.writes()
                        .withHandle(handle -> handle.createUpdate(REVOKE)
                                .bind("id", id)
                                .bind("revokedAt", revokedAt)
                                .execute())
                == 1;
    }

    private static ApiKeyRecord key(ResultSet row, StatementContext context) throws SQLException {
        return keyAt(row);
    }

    private static ApiKeyRecord keyAt(ResultSet row) throws SQLException {
        return new ApiKeyRecord(
                row.getString("id"),
                row.getString("tenant"),
                Role.parse(row.getString("role")),
                row.getString("name"),
                row.getString("secret_sha256"),
                EpochNanos.required(row, "created_at"),
                EpochNanos.read(row, "expires_at"),
                EpochNanos.read(row, "revoked_at"));
    }
}
