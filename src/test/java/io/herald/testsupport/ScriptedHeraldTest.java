package io.herald.testsupport;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the tests that run Herald in this JVM on a fresh embedded H2 database with the {@link ScriptedProvider}.
 * A subclass declares {@code @SpringBootTest(webEnvironment = RANDOM_PORT, properties = {"herald.provider.type=scripted", ...})}
 * with its own settings, and gets {@link #api} (reset before each test) and {@link #provider}.
 */
@Import(ScriptedHeraldTest.ScriptedProviderConfiguration.class)
public abstract class ScriptedHeraldTest {

    @DynamicPropertySource
    static void embeddedDatabase(DynamicPropertyRegistry registry) {
        TestDatabase.H2.create().forEach((k, v) -> registry.add(k, () -> v));
    }

    @TestConfiguration
    public static class ScriptedProviderConfiguration {
        @Bean
        ScriptedProvider scriptedProvider() {
            return new ScriptedProvider();
        }

        @Bean
        io.herald.provider.ProviderFactory scriptedProviderFactory(ScriptedProvider provider) {
            return provider.factory();
        }
    }

    @LocalServerPort
    protected int port;
    @Autowired
    protected ScriptedProvider provider;
    protected Api api;

    @BeforeEach
    void connectAndResetProvider() {
        api = new Api(port);
        provider.reset();
    }
}
