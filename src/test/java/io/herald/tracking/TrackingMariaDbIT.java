package io.herald.tracking;

import io.herald.testsupport.TestDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class TrackingMariaDbIT extends AbstractTrackingIT {
    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        register(registry, TestDatabase.MARIADB);
    }
}
