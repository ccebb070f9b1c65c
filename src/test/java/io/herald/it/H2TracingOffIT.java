package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.herald.audience.AudienceService;
import io.herald.audience.NewRecipient;
import io.herald.testsupport.Api;
import io.herald.testsupport.HeraldProcess;
import io.herald.testsupport.OtlpReceiver;
import io.herald.testsupport.TestDatabase;

import org.junit.jupiter.api.Test;

/**
 * Tracing is off by default: even with an OTLP endpoint configured, a Herald that leaves
 * {@code management.tracing.sampling.probability} at its default records no span and exports nothing while a campaign
 * is created, sent and completed (the traced runs, {@code Postgres*TracingIT}, use the same receiver and see spans).
 */
class H2TracingOffIT {
    @Test
    void aSendExportsNoSpanUnlessSamplingIsTurnedOn() throws Exception {
        try (OtlpReceiver otlp = new OtlpReceiver()) {
            Map<String, String> props = new HashMap<>(TestDatabase.H2.create());
            props.put("herald.transport", "inmemory");
            props.put("herald.demo-data", "false");
            props.put("herald.provider.failure-rate", "0");
            props.put("management.opentelemetry.tracing.export.otlp.endpoint", otlp.tracesUrl());
            props.put("management.opentelemetry.tracing.export.schedule-delay", "200ms");
            try (HeraldProcess herald = HeraldProcess.start("api,worker,scheduler", props)) {
                Api api = new Api(Integer.parseInt(herald.context().getEnvironment().getProperty("local.server.port")));
                List<NewRecipient> people = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    people.add(new NewRecipient("Off " + i, "off." + i + "@tracing.test", null, List.of("off"), Map.of()));
                }
                herald.bean(AudienceService.class).insertAll(people, System.currentTimeMillis());
                Api.Response created = api.post("/campaigns", Map.of("name", "Untraced", "template", "Hi {{name}}",
                        "segment_rule", "off"));
                assertThat(created.status()).as(created.body()).isEqualTo(201);
                long id = created.json().get("id").asLong();
                assertThat(api.post("/campaigns/" + id + "/send").status()).isEqualTo(202);
                api.waitForStats(id, s -> s.get("status").asString().equals("COMPLETED"), Duration.ofSeconds(60));
                // Several export periods (200 ms) pass: a recorded span would have been sent by now.
                Thread.sleep(1500);
            }
            assertThat(otlp.spans()).as("spans exported with sampling at its default").isEmpty();
            assertThat(otlp.requests()).as("export requests").isZero();
        }
    }
}
