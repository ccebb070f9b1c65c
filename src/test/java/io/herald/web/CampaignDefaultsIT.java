package io.herald.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.herald.testsupport.Api;
import io.herald.testsupport.ScriptedHeraldTest;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import tools.jackson.databind.JsonNode;

/**
 * {@code GET /campaigns/defaults} reports what a new campaign gets for the fields it leaves out (the console's
 * tracking boxes start from it), here with opens tracking switched off for the installation.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "herald.demo-data=false",
        "herald.provider.type=scripted",
        "herald.tracking.opens=false",
})
class CampaignDefaultsIT extends ScriptedHeraldTest {

    @Test
    void theDefaultsAreTheInstallationsAndANewCampaignGetsThem() {
        Api.Response defaults = api.get("/campaigns/defaults");
        assertThat(defaults.status()).as(defaults.body()).isEqualTo(200);
        assertThat(defaults.json().get("track_opens").asBoolean()).isFalse();
        assertThat(defaults.json().get("track_clicks").asBoolean()).isTrue();

        Api.Response created = api.post("/campaigns", Map.of("name", "Defaults", "channel", "email", "subject", "Hi",
                "template", "<p>Hi {{name}} <a href=\"https://example.com\">x</a></p>", "segment_rule", "vip"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode campaign = created.json();
        assertThat(campaign.get("track_opens").asBoolean()).isEqualTo(defaults.json().get("track_opens").asBoolean());
        assertThat(campaign.get("track_clicks").asBoolean()).isEqualTo(defaults.json().get("track_clicks").asBoolean());
    }
}
