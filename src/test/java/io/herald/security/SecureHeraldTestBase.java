package io.herald.security;

import io.herald.testsupport.ScriptedProvider;
import io.herald.testsupport.TestDatabase;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One Herald in secure mode shared by the secure-mode test classes (one Spring context): a configured
 * bootstrap admin key, an editor user and a viewer user, the scripted provider, demo recipients, and a
 * slow delivery rate so that a campaign stays SENDING long enough to be paused.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "herald.security.enabled=true",
        "herald.security.login-failures-per-minute=5",
        "herald.security.login-failures-per-minute-per-ip=1000",
        "herald.provider.type=scripted",
        "herald.delivery.rate-per-sec=4",
        "herald.delivery.initial-backoff=20ms",
        "herald.delivery.max-backoff=100ms",
})
@Import(SecureHeraldTestBase.Providers.class)
abstract class SecureHeraldTestBase {
    static final String ADMIN_KEY = "test-bootstrap-admin-key-0123456789abcdef";
    static final String ALICE_PASSWORD = "alice-s3cret-passw0rd";
    static final String BOB_PASSWORD = "bob-s3cret-passw0rd";
    static final String CAROL_PASSWORD = "carol-s3cret-passw0rd";

    @DynamicPropertySource
    static void secureHerald(DynamicPropertyRegistry registry) {
        TestDatabase.H2.create().forEach((k, v) -> registry.add(k, () -> v));
        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
        registry.add("herald.security.bootstrap-key", () -> ADMIN_KEY);
        user(registry, 0, "alice", bcrypt.encode(ALICE_PASSWORD), "editor");
        user(registry, 1, "bob", "{bcrypt}" + bcrypt.encode(BOB_PASSWORD), "viewer");
        user(registry, 2, "carol", bcrypt.encode(CAROL_PASSWORD), "admin");
    }

    private static void user(DynamicPropertyRegistry registry, int i, String name, String hash, String role) {
        registry.add("herald.security.users[" + i + "].username", () -> name);
        registry.add("herald.security.users[" + i + "].password", () -> hash);
        registry.add("herald.security.users[" + i + "].role", () -> role);
    }

    @TestConfiguration
    static class Providers {
        @Bean
        ScriptedProvider scriptedProvider() {
            return new ScriptedProvider();
        }

        @Bean
        io.herald.provider.ProviderFactory scriptedProviderFactory(ScriptedProvider provider) {
            return provider.factory();
        }
    }
}
