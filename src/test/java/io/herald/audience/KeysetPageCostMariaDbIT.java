package io.herald.audience;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

import org.springframework.jdbc.core.ConnectionCallback;

import io.herald.testsupport.TestDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class KeysetPageCostMariaDbIT extends AbstractKeysetPageCostIT {
    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        register(registry, TestDatabase.MARIADB);
    }

    @Override
    long rowsRead(SqlQuery query) {
        return jdbc.execute((ConnectionCallback<Long>) connection -> {
            try (Statement flush = connection.createStatement()) {
                flush.execute("FLUSH STATUS");
            }
            try (PreparedStatement statement = connection.prepareStatement(query.sql())) {
                for (int i = 0; i < query.params().length; i++) {
                    statement.setObject(i + 1, query.params()[i]);
                }
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        rs.getObject(1);
                    }
                }
            }
            long sum = 0;
            try (Statement status = connection.createStatement();
                 ResultSet rs = status.executeQuery("SHOW SESSION STATUS LIKE 'Handler_read%'")) {
                while (rs.next()) {
                    sum += rs.getLong(2);
                }
            }
            return sum;
        });
    }
}
