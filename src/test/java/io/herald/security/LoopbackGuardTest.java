package io.herald.security;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LoopbackGuardTest {
    @Test
    void loopbackAddressesPass() {
        for (String address : new String[]{"127.0.0.1", "127.0.0.2", "::1", "localhost"}) {
            assertThatCode(() -> LoopbackGuard.check(address)).as(address).doesNotThrowAnyException();
        }
    }

    @Test
    void anythingElseIsRefusedNamingTheSwitch() {
        for (String address : new String[]{"0.0.0.0", "::", "192.168.1.20", "10.0.0.1", "example.invalid", ""}) {
            assertThatThrownBy(() -> LoopbackGuard.check(address)).as(address)
                    .isInstanceOf(UnsafeBindAddressException.class)
                    .hasMessageContaining("herald.security.enabled=true");
        }
        assertThatThrownBy(() -> LoopbackGuard.check(null)).hasMessageContaining("all network interfaces");
    }
}
