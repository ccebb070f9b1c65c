package io.herald.feedback;

import io.herald.testsupport.TestDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class BounceH2IT extends AbstractBounceIT {
    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        register(registry, TestDatabase.H2);
    }
}
