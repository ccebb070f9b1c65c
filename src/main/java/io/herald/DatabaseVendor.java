package io.herald;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The database Herald runs on, for the few statements each vendor writes its own way (array parameters, JSON
 * access, index hints, bulk paths). Asked of the driver once, at start-up, and shared as a bean.
 */
public enum DatabaseVendor {
    H2, POSTGRES, MARIADB, MYSQL;

    /** MariaDB and MySQL share their SQL dialect, drivers' quirks and Bucket4j's store. */
    public boolean mySqlFamily() {
        return this == MARIADB || this == MYSQL;
    }

    /** The vendor named by a JDBC {@code DatabaseMetaData.getDatabaseProductName()}. */
    public static DatabaseVendor ofProductName(String productName) {
        String p = productName.toLowerCase(Locale.ROOT);
        if (p.contains("postgres")) {
            return POSTGRES;
        }
        if (p.contains("mariadb")) {
            return MARIADB;
        }
        if (p.contains("mysql")) {
            return MYSQL;
        }
        if (p.contains("h2")) {
            return H2;
        }
        throw new IllegalStateException("Herald runs on PostgreSQL, MariaDB/MySQL or H2, not " + productName);
    }

    public static DatabaseVendor of(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return ofProductName(connection.getMetaData().getDatabaseProductName());
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot tell which database Herald runs on", e);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Detection {
        @Bean
        DatabaseVendor databaseVendor(DataSource dataSource) {
            return DatabaseVendor.of(dataSource);
        }
    }
}
