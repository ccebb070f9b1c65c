package io.herald.campaign;

import io.herald.testsupport.TestDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class AbVariantsPostgresIT extends AbstractAbVariantsIT {
    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.POSTGRES.create().forEach((k, v) -> registry.add(k, () -> v));
    }
}
