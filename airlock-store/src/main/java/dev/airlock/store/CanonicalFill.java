package dev.airlock.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the rows of a chain table written before records kept their canonical bytes (migration V12) those bytes,
 * derived from their columns, a page at a time in id order. A row whose columns cannot be read is logged and left
 * without bytes: verification reports it, and the store still opens.
 */
final class CanonicalFill {
    private static final Logger LOG = LoggerFactory.getLogger(CanonicalFill.class);

    /** The canonical bytes of the record a row's columns describe. */
    @FunctionalInterface
    interface FromColumns {
        byte[] canonical(ResultSet row, StatementContext context) throws SQLException;
    }

    private CanonicalFill() {}

    /** Fills {@code table}, reading {@code columns} (which include {@code id}) for {@code fromColumns}. */
    static void run(Database database, String table, String columns, int page, FromColumns fromColumns) {
        String after = "";
        while (true) {
            String from = after;
            List<String> ids = database.writes().inTransaction(handle -> {
                List<String> read = new ArrayList<>();
                PreparedBatch update =
                        handle.prepareBatch("UPDATE " + table + " SET canonical = :canonical WHERE id = :id");
                handle.createQuery("SELECT " + columns + " FROM " + table
                                + " WHERE canonical IS NULL AND id > :after ORDER BY id LIMIT :limit")
                        .bind("after", from)
                        .bind("limit", page)
                        .map((rs, ctx) -> {
                            String id = rs.getString("id");
                            read.add(id);
                            try {
                                update.bind("id", id)
                                        .bind("canonical", fromColumns.canonical(rs, ctx))
                                        .add();
                            } catch (RuntimeException unreadable) {
                                LOG.warn(
                                        "{} row '{}' cannot be read from its columns: {}",
                                        table,
                                        id,
                                        unreadable.toString());
                            }
                            return id;
                        })
                        .list();
                if (update.size() > 0) {
                    update.execute();
                }
                return read;
            });
            if (ids.size() < page) {
                return;
            }
            after = ids.getLast();
        }
    }
}
