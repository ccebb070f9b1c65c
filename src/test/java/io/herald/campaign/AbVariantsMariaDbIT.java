package io.herald.campaign;

import io.herald.testsupport.TestDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class AbVariantsMariaDbIT extends AbstractAbVariantsIT {
    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.MARIADB.create().forEach((k, v) -> registry.add(k, () -> v));
    }
}
