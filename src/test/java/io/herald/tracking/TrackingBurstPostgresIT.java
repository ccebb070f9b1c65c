package io.herald.tracking;

import io.herald.testsupport.TestDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class TrackingBurstPostgresIT extends AbstractTrackingBurstIT {
    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        register(registry, TestDatabase.POSTGRES);
    }
}
