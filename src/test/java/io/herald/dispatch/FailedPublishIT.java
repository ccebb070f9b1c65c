package io.herald.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.testsupport.ScriptedHeraldTest;
import io.herald.transport.FlakyTransport;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import tools.jackson.databind.JsonNode;

/**
 * A fan-out page whose publish fails (broker briefly down) is committed but not handed to workers;
 * when the fan-out is resumed, that page is published before anything else, so no message is stranded.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "herald.transport=flaky",
        "herald.provider.type=scripted",
        "herald.delivery.rate-per-sec=0",
        "herald.dispatch.lease=1s",
})
class FailedPublishIT extends ScriptedHeraldTest {
    @TestConfiguration
    static class Beans {
        @Bean
        FlakyTransport flakyTransport() {
            return new FlakyTransport(1);
        }
    }

    @Autowired
    FlakyTransport transport;

    @Test
    void aPageWhosePublishFailedIsPublishedWhenTheFanOutResumes() {
        long id = api.post("/campaigns", "{\"name\":\"outage\",\"template\":\"Hi {{name}}\",\"segment_rule\":\"vip\"}")
                .json().get("id").asLong();
        assertThat(api.post("/campaigns/" + id + "/send").status()).isEqualTo(202);
        JsonNode stats = api.waitForStats(id, s -> s.get("status").asString().equals("COMPLETED"));
        assertThat(transport.failedPublishes.get()).isEqualTo(1);
        assertThat(stats.get("total").asLong()).isEqualTo(8);
        assertThat(stats.get("sent").asLong()).isEqualTo(8);
        assertThat(stats.get("queued").asLong()).isZero();
        assertThat(provider.delivered).hasSize(8).allSatisfy((key, n) -> assertThat(n.get()).isEqualTo(1));
    }
}
