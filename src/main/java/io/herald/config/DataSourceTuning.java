package io.herald.config;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * Driver settings the send path depends on, applied by JDBC URL so that H2 (which rejects unknown
 * connection properties) is left alone:
 * <ul>
 *   <li>PostgreSQL: {@code reWriteBatchedInserts} turns a fan-out page's batched INSERTs into multi-row INSERTs;</li>
 *   <li>MariaDB/MySQL: {@code useBulkStmts=false}, because bulk UPDATEs report SUCCESS_NO_INFO (-2) instead of
 *       row counts, and outcome recording needs the count of each row to move every counter exactly once.</li>
 * </ul>
 */
@Component
class DataSourceTuning implements BeanPostProcessor {

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource hikari && hikari.getJdbcUrl() != null) {
            String url = hikari.getJdbcUrl();
            if (url.startsWith("jdbc:postgresql:")) {
                hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
            } else if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
                hikari.addDataSourceProperty("useBulkStmts", "false");
                hikari.addDataSourceProperty("useBulkStmtsForInserts", "true");
            }
        }
        return bean;
    }
}
