package io.herald.audience;

import tools.jackson.databind.json.JsonMapper;

import io.herald.testsupport.TestDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class KeysetPageCostPostgresIT extends AbstractKeysetPageCostIT {
    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        register(registry, TestDatabase.POSTGRES);
    }

    @Override
    long rowsRead(SqlQuery query) {
        return explainRows("EXPLAIN (ANALYZE, FORMAT JSON) ", query,
                plan -> sumJson(JsonMapper.builder().build().readTree(plan)));
    }
}
