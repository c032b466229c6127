package dev.airlock.store;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The PostgreSQL server tests run against, named by the environment:
 *
 * <ul>
 *   <li>{@code AIRLOCK_TEST_POSTGRES_URL}, e.g. {@code jdbc:postgresql://127.0.0.1:5433/postgres}
 *   <li>{@code AIRLOCK_TEST_POSTGRES_USER} and {@code AIRLOCK_TEST_POSTGRES_PASSWORD}, unless in the URL
 * </ul>
 *
 * <p>{@code eval "$(scripts/test-postgres.sh start)"} starts a throwaway server and sets them. Each test gets its
 * own schema:
 *
 * <pre>{@code
 * static TestPostgres postgres;
 *
 * @BeforeAll static void server() { postgres = TestPostgres.fromEnvironment(); }
 *
 * @Test void something() throws Exception {
 *     try (TestDatabase db = postgres.freshSchema(); Store store = db.open()) { ... }
 * }
 * }</pre>
 */
public final class TestPostgres {
    public static final String URL_VARIABLE = "AIRLOCK_TEST_POSTGRES_URL";
    public static final String USER_VARIABLE = "AIRLOCK_TEST_POSTGRES_USER";
    public static final String PASSWORD_VARIABLE = "AIRLOCK_TEST_POSTGRES_PASSWORD";
    private static final String HOW_TO_RUN = "set " + URL_VARIABLE + " (and " + USER_VARIABLE + "/" + PASSWORD_VARIABLE
            + " if needed), e.g. with eval \"$(scripts/test-postgres.sh start)\"";

    private final String url;
    private final String user;
    private final String password;

    private TestPostgres(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /**
     * The server the environment names. Without one, the calling test is skipped, or fails when {@code CI} is
     * set, because CI must run the PostgreSQL tests.
     */
    public static TestPostgres fromEnvironment() {
        String url = System.getenv(URL_VARIABLE);
        if (url == null || url.isBlank()) {
            if (isCi()) {
                fail("PostgreSQL is required in CI but " + URL_VARIABLE + " is not set: " + HOW_TO_RUN);
            }
            abort("PostgreSQL tests skipped; to run them " + HOW_TO_RUN);
        }
        return new TestPostgres(url, variable(USER_VARIABLE), variable(PASSWORD_VARIABLE));
    }

    /** Creates a schema no other test uses; closing the returned database drops it with all it holds. */
    public TestDatabase freshSchema() throws SQLException {
        String schema = "airlock_test_"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        execute("CREATE SCHEMA " + schema);
        String separator = url.contains("?") ? "&" : "?";
        String schemaUrl = url + separator + "currentSchema=" + schema;
        return new TestDatabase(schemaUrl, user, password, () -> execute("DROP SCHEMA " + schema + " CASCADE"));
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The variable's value, or null if it is unset or blank. */
    private static String variable(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? null : value;
    }

    private static boolean isCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false");
    }
}
