package io.herald.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A fresh, empty database for one test class on one of the three supported engines, so that tests
 * never see each other's rows. PostgreSQL and MariaDB are the real local servers (127.0.0.1, the
 * machine's trust/root accounts); H2 is an in-memory database.
 */
public enum TestDatabase {
    H2, POSTGRES, MARIADB;

    /** Creates a new database and returns the Spring properties that point Herald at it. */
    public Map<String, String> create() {
        String name = "herald_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        return switch (this) {
            case H2 -> Map.of("spring.datasource.url", "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1",
                    "spring.datasource.username", "sa", "spring.datasource.password", "");
            case POSTGRES -> {
                ExternalService.require("PostgreSQL", 5432);
                execute("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "CREATE DATABASE " + name);
                dropAtExit("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                yield Map.of("spring.datasource.url", "jdbc:postgresql://127.0.0.1:5432/" + name,
                        "spring.datasource.username", "postgres", "spring.datasource.password", "");
            }
            case MARIADB -> {
                ExternalService.require("MariaDB", 3306);
                execute("jdbc:mariadb://127.0.0.1:3306/test", "root", "CREATE DATABASE " + name);
                dropAtExit("jdbc:mariadb://127.0.0.1:3306/test", "root", "DROP DATABASE IF EXISTS " + name);
                yield Map.of("spring.datasource.url", "jdbc:mariadb://127.0.0.1:3306/" + name,
                        "spring.datasource.username", "root", "spring.datasource.password", "");
            }
        };
    }

    /** Test databases are dropped when the test JVM exits, so repeated runs leave nothing behind. */
    private static void dropAtExit(String url, String user, String sql) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                execute(url, user, sql);
            } catch (RuntimeException e) {
                System.err.println("could not drop test database: " + sql + ": " + e.getMessage());
            }
        }, "drop-test-database"));
    }

    private static void execute(String url, String user, String sql) {
        try (Connection connection = DriverManager.getConnection(url, user, "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("could not prepare test database: " + sql, e);
        }
    }
}
