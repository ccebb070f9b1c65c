package io.herald.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.herald.HeraldApplication;
import io.herald.testsupport.Api;
import io.herald.testsupport.TestDatabase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Real start-ups of Herald: local mode refuses a non-loopback address; secure mode starts on 0.0.0.0 and
 * prints a generated admin key exactly once; local mode on loopback needs no login.
 */
@ExtendWith(OutputCaptureExtension.class)
class LoopbackGuardIT {

    private static ConfigurableApplicationContext start(Map<String, String> extra) {
        Map<String, Object> properties = new HashMap<>(TestDatabase.H2.create());
        properties.put("server.port", "0");
        properties.put("herald.roles", "api");
        properties.put("herald.demo-data", "false");
        properties.putAll(extra);
        // Command-line arguments, not builder properties: those are defaults that application.yml overrides.
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        return new SpringApplicationBuilder(HeraldApplication.class).run(args);
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Test
    void localModeRefusesToListenOnAllInterfaces(CapturedOutput output) {
        assertThatThrownBy(() -> start(Map.of("server.address", "0.0.0.0")).close())
                .hasRootCauseInstanceOf(UnsafeBindAddressException.class)
                .rootCause().hasMessageContaining("0.0.0.0").hasMessageContaining("herald.security.enabled=true");
        // The failure analyzer prints the short explanation instead of a stack trace.
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START").contains("herald.security.enabled=true");
    }

    @Test
    void secureModeStartsOnAllInterfacesAndPrintsTheGeneratedAdminKeyOnce(CapturedOutput output) {
        try (ConfigurableApplicationContext context = start(Map.of("server.address", "0.0.0.0",
                "herald.security.enabled", "true"))) {
            Matcher printed = Pattern.compile("^\\s+(hk_[A-Za-z0-9_-]{43})\\s*$", Pattern.MULTILINE).matcher(output.getOut());
            assertThat(printed.find()).as("the generated admin key is printed").isTrue();
            String key = printed.group(1);
            assertThat(output.getAll().split(Pattern.quote(key), -1)).as("printed exactly once").hasSize(2);

            Api anonymous = new Api(port(context));
            assertThat(anonymous.get("/campaigns").status()).isEqualTo(401);
            SecureClient admin = SecureClient.withKey(port(context), key);
            Api.Response me = admin.get("/auth/me");
            assertThat(me.status()).isEqualTo(200);
            assertThat(me.json().get("role").asString()).isEqualTo("admin");
            assertThat(admin.get("/api-keys").body()).doesNotContain(key);
        }
    }

    @Test
    void localModeOnLoopbackNeedsNoLogin() {
        try (ConfigurableApplicationContext context = start(Map.of())) {
            Api api = new Api(port(context));
            Api.Response me = api.get("/auth/me");
            assertThat(me.status()).isEqualTo(200);
            assertThat(me.json().get("authenticated").asBoolean()).isTrue();
            assertThat(me.json().get("mode").asString()).isEqualTo("local");
            assertThat(me.json().get("role").asString()).isEqualTo("admin");
            Api.Response created = api.post("/campaigns", Api.json(Map.of("name", "Local", "template", "Hi", "segment_rule", "vip")));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            assertThat(api.get("/audit").json().get("items").get(0).get("actor").asString()).isEqualTo("local");
            assertThat(api.get("/audit").json().get("items").get(0).get("action").asString()).isEqualTo("campaign.create");
        }
    }
}
