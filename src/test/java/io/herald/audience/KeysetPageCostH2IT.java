package io.herald.audience;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.herald.testsupport.TestDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class KeysetPageCostH2IT extends AbstractKeysetPageCostIT {
    private static final Pattern SCAN = Pattern.compile("scanCount: (\\d+)");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        register(registry, TestDatabase.H2);
    }

    @Override
    long rowsRead(SqlQuery query) {
        return explainRows("EXPLAIN ANALYZE ", query, plan -> {
            long sum = 0;
            Matcher m = SCAN.matcher(plan);
            while (m.find()) {
                sum += Long.parseLong(m.group(1));
            }
            return sum;
        });
    }
}
