package io.herald;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/** Modules only use each other's public API and depend on each other without cycles. */
class ModularityTest {
    @Test
    void moduleBoundariesHold() {
        ApplicationModules.of(HeraldApplication.class).verify();
    }
}
