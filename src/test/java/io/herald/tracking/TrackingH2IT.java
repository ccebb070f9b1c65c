package io.herald.tracking;

import io.herald.testsupport.TestDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class TrackingH2IT extends AbstractTrackingIT {
    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        register(registry, TestDatabase.H2);
    }
}
