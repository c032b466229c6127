package dev.airlock.store;

import dev.airlock.retrieval.Document;
import dev.airlock.retrieval.DocumentStore;
import dev.airlock.retrieval.Trust;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The {@code documents} and {@code document_sources} tables. */
final class DocumentTable implements DocumentStore {
    private final Database database;

    DocumentTable(Database database) {
        this.database = database;
    }

    @Override
    public void setSourceTrust(String tenant, String source, Trust trust) {
        database.writes()
                .useHandle(handle -> handle.createUpdate("INSERT INTO document_sources (tenant, name, trust) VALUES"
                                + " (:tenant, :name, :trust) ON CONFLICT (tenant, name) DO UPDATE SET trust ="
                                + " excluded.trust")
                        .bind("tenant", tenant)
                        .bind("name", source)
                        .bind("trust", trust.id())
                        .execute());
    }

    @Override
    public Map<String, Trust> sources(String tenant) {
        Map<String, Trust> out = new LinkedHashMap<>();
        database.reads()
                .useHandle(handle -> handle.createQuery(
                                "SELECT name, trust FROM document_sources WHERE tenant = :tenant ORDER BY name")
                        .bind("tenant", tenant)
                        .map((rs, ctx) -> Map.entry(rs.getString("name"), Trust.parse(rs.getString("trust"))))
                        .forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }

    @Override
    public void insertDocument(Document d) {
        database.writes()
                .useHandle(
                        handle -> handle.createUpdate("INSERT INTO documents (id, tenant, source, sha256, text, vector,"
                                        + " injection_score, quarantine, created_at) VALUES (:id, :tenant, :source, :sha256,"
                                        + " :text, :vector, :score, :quarantine, :created_at)")
                                .bind("id", d.id())
                                .bind("tenant", d.tenant())
                                .bind("source", d.source())
                                .bind("sha256", d.sha256())
                                .bind("text", d.text())
                                .bind("vector", encode(d.vector()))
                                .bind("score", Double.toString(d.injectionScore()))
                                .bind("quarantine", d.quarantine())
                                .bind("created_at", EpochNanos.of(d.createdAt(), "created_at"))
                                .execute());
    }

    @Override
    public Optional<Document> findDocument(String id) {
        return database.reads()
                .withHandle(handle -> handle.createQuery("SELECT * FROM documents WHERE id = :id")
                        .bind("id", id)
                        .map((rs, ctx) -> read(rs))
                        .findOne());
    }

    @Override
    public void quarantineDocument(String id, @Nullable String reason) {
        database.writes()
                .useHandle(handle -> handle.createUpdate("UPDATE documents SET quarantine = :reason WHERE id = :id")
                        .bind("id", id)
                        .bind("reason", reason)
                        .execute());
    }

    /** Documents of trusted sources that are not quarantined: the only ones retrieval may serve. */
    @Override
    public List<Document> servableDocuments(String tenant) {
        return database.reads()
                .withHandle(handle -> handle.createQuery("SELECT d.* FROM documents d JOIN document_sources s ON"
                                + " s.tenant = d.tenant AND s.name = d.source WHERE d.tenant = :tenant AND s.trust ="
                                + " 'trusted' AND d.quarantine IS NULL ORDER BY d.created_at, d.id")
                        .bind("tenant", tenant)
                        .map((rs, ctx) -> read(rs))
                        .list());
    }

    private static Document read(ResultSet rs) throws SQLException {
        return new Document(
                rs.getString("id"),
                rs.getString("tenant"),
                rs.getString("source"),
                rs.getString("sha256"),
                rs.getString("text"),
                decode(rs.getString("vector")),
                Double.parseDouble(rs.getString("injection_score")),
                rs.getString("quarantine"),
                EpochNanos.required(rs, "created_at"));
    }

    private static String encode(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return Base64.getEncoder().encodeToString(b.array());
    }

    private static float[] decode(String text) {
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(text)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.getFloat();
        }
        return v;
    }
}
