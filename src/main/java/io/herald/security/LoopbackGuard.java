package io.herald.security;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Local mode needs no login, so it may only listen on a loopback address. With security off and
 * {@code server.address} unset (all interfaces), 0.0.0.0, ::, a LAN address or a host name that does not
 * resolve to loopback, start-up fails before the server binds, naming {@code herald.security.enabled=true}.
 * Processes without a web server (workers) are not affected.
 */
@Component
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class LoopbackGuard implements InitializingBean {
    private final SecurityProperties properties;
    private final Environment environment;

    LoopbackGuard(SecurityProperties properties, Environment environment) {
        this.properties = properties;
        this.environment = environment;
    }

    @Override
    public void afterPropertiesSet() {
        if (!properties.enabled()) {
            check(environment.getProperty("server.address"));
        }
    }

    static void check(String address) {
        if (address == null || address.isBlank()) {
            throw new UnsafeBindAddressException("all network interfaces (server.address is not set)");
        }
        if (!isLoopback(address.trim())) {
            throw new UnsafeBindAddressException(address.trim());
        }
    }

    static boolean isLoopback(String address) {
        try {
            for (InetAddress resolved : InetAddress.getAllByName(address)) {
                if (!resolved.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
