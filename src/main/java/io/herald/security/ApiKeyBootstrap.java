package io.herald.security;

import java.io.PrintStream;

import io.herald.ConditionalOnRole;
import io.herald.HeraldRoles;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Secure mode needs a first admin key, without a CLI. {@code herald.security.bootstrap-key} is accepted as
 * an admin key (stored hashed, unless it was stored — and maybe revoked — before). Without it, and with no
 * active admin key, one is generated and printed once to standard output (not through the logger, so log
 * files and log shippers never see it). Runs before the web server takes requests.
 */
@Component
@ConditionalOnRole(HeraldRoles.API)
class ApiKeyBootstrap implements SmartInitializingSingleton {
    private static final Logger log = LoggerFactory.getLogger(ApiKeyBootstrap.class);
    static final int MIN_BOOTSTRAP_LENGTH = 24;
    private final SecurityProperties properties;
    private final ApiKeyService keys;
    private final PrintStream console;

    ApiKeyBootstrap(SecurityProperties properties, ApiKeyService keys) {
        this.properties = properties;
        this.keys = keys;
        this.console = System.out;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (!properties.enabled()) {
            return;
        }
        if (properties.hasBootstrapKey()) {
            String key = properties.bootstrapKey().trim();
            if (key.length() < MIN_BOOTSTRAP_LENGTH) {
                throw new IllegalStateException("herald.security.bootstrap-key must be at least " + MIN_BOOTSTRAP_LENGTH
                        + " characters of random text (e.g. `openssl rand -base64 32`)");
            }
            if (!keys.known(key)) {
                ApiKey stored = keys.store("bootstrap (herald.security.bootstrap-key)", key, Role.ADMIN, "system:bootstrap");
                log.info("Stored the configured bootstrap admin key (hashed) as API key {}", stored.id());
            }
            return;
        }
        if (keys.activeAdminKeys() > 0) {
            return;
        }
        CreatedApiKey created = keys.create("bootstrap (generated at first start)", Role.ADMIN.wire(), "system:bootstrap");
        log.warn("No admin API key existed: generated admin key {} ({}...); its secret is printed once to standard output",
                created.key().id(), created.key().prefix());
        console.println();
        console.println("==================================================================================");
        console.println(" Herald secure mode: no admin API key existed, so one was created.");
        console.println(" It is shown ONCE, now, and never again (only its hash is stored):");
        console.println();
        console.println("   " + created.secret());
        console.println();
        console.println(" Use it as `Authorization: Bearer <key>` or in the console's login screen; create");
        console.println(" more keys with POST /api-keys and revoke this one with DELETE /api-keys/" + created.key().id() + ".");
        console.println("==================================================================================");
        console.println();
        console.flush();
    }
}
