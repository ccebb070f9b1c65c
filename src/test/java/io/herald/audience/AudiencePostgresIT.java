package io.herald.audience;

import io.herald.testsupport.TestDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class AudiencePostgresIT extends AbstractAudienceIT {
    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        register(registry, TestDatabase.POSTGRES);
    }
}
