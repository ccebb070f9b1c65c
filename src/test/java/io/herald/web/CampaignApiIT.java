package io.herald.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import io.herald.testsupport.Api;
import io.herald.testsupport.ScriptedHeraldTest;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import tools.jackson.databind.JsonNode;

/**
 * The seed-000 flow through the HTTP API on the embedded default (H2, in-process queue, demo data):
 * every campaign endpoint, the AND rule, rendering, retries, dead letters and every error answer.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // Scripted recipients fail on purpose to make dead letters; that is not a provider outage.
        "herald.delivery.circuit-breaker.enabled=false",
        "herald.provider.type=scripted",
        "herald.delivery.rate-per-sec=0",
        "herald.delivery.initial-backoff=20ms",
        "herald.delivery.max-backoff=100ms",
        "herald.delivery.max-attempts=5",
})
class CampaignApiIT extends ScriptedHeraldTest {
    private static final Set<String> VIP = Set.of("Alice Chen", "Bob Martin", "Chloé Dubois", "David Kim", "Emma Wilson",
            "Farid Haddad", "Grace Lin", "Hiro Tanaka");
    private static final Set<String> VIP_TW = Set.of("Alice Chen", "Chloé Dubois", "Emma Wilson");

    long create(String name, String template, String rule) {
        Api.Response response = api.post("/campaigns", Api.json(Map.of("name", name, "template", template, "segment_rule", rule)));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().get("id").asLong();
    }

    JsonNode waitForStats(long id, Predicate<JsonNode> condition) {
        return api.waitForStats(id, condition);
    }

    List<JsonNode> allMessages(long id, String query) {
        List<JsonNode> items = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = api.get("/campaigns/" + id + "/messages?limit=3" + query + (cursor == null ? "" : "&cursor=" + cursor)).json();
            page.get("items").forEach(items::add);
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asString();
        } while (cursor != null);
        return items;
    }

    @Test
    void createReturnsTheCampaignWithLocation() {
        Api.Response response = api.post("/campaigns",
                "{\"name\":\"Welcome Back\",\"template\":\"Hi {{name}}\",\"segment_rule\":\" vip , TW \"}");
        assertThat(response.status()).isEqualTo(201);
        JsonNode body = response.json();
        assertThat(body.get("id").isNumber()).isTrue();
        assertThat(response.header("Location")).isEqualTo("/campaigns/" + body.get("id").asLong());
        assertThat(body.get("name").asString()).isEqualTo("Welcome Back");
        assertThat(body.get("template").asString()).isEqualTo("Hi {{name}}");
        assertThat(body.get("segment_rule").asString()).isEqualTo("vip,tw");
        assertThat(body.get("status").asString()).isEqualTo("DRAFT");
        assertThat(body.get("created_at").asString()).isNotBlank();

        JsonNode fetched = api.get("/campaigns/" + body.get("id").asLong()).json();
        assertThat(fetched.get("name").asString()).isEqualTo("Welcome Back");
        assertThat(fetched.get("segment_rule").asString()).isEqualTo("vip,tw");
    }

    @Test
    void listIsNewestFirstAndKeysetPaged() {
        long a = create("list a", "x", "vip");
        long b = create("list b", "x", "vip");
        long c = create("list c", "x", "vip");
        JsonNode first = api.get("/campaigns?limit=2").json();
        assertThat(first.get("items")).hasSize(2);
        assertThat(first.get("items").get(0).get("id").asLong()).isEqualTo(c);
        assertThat(first.get("items").get(1).get("id").asLong()).isEqualTo(b);
        JsonNode second = api.get("/campaigns?limit=2&cursor=" + first.get("next_cursor").asString()).json();
        assertThat(second.get("items").get(0).get("id").asLong()).isEqualTo(a);
        assertThat(api.get("/campaigns?status=DRAFT&limit=100").json().get("items"))
                .allSatisfy(item -> assertThat(item.get("status").asString()).isEqualTo("DRAFT"));
        assertThat(api.get("/campaigns?status=NOPE").status()).isEqualTo(400);
    }

    @Test
    void previewRendersTheFirstTargetsWithAttributes() {
        long id = create("preview", "Hi {{name}} from {{city}}{{missing}}!", "vip");
        JsonNode preview = api.get("/campaigns/" + id + "/preview").json();
        assertThat(preview.get("total_targets").asLong()).isEqualTo(8);
        assertThat(preview.get("items")).hasSize(8);
        JsonNode alice = preview.get("items").get(0);
        assertThat(alice.get("name").asString()).isEqualTo("Alice Chen");
        assertThat(alice.get("email").asString()).isEqualTo("alice@example.com");
        assertThat(alice.get("recipient_id").asLong()).isPositive();
        assertThat(alice.get("rendered").asString()).isEqualTo("Hi Alice Chen from Taipei!");
    }

    @Test
    void andRuleSelectsRecipientsWithEveryTag() throws InterruptedException {
        long id = create("and rule", "Hi {{name}}", "vip,tw");
        JsonNode preview = api.get("/campaigns/" + id + "/preview").json();
        assertThat(preview.get("total_targets").asLong()).isEqualTo(3);
        Set<String> names = new HashSet<>();
        preview.get("items").forEach(i -> names.add(i.get("name").asString()));
        assertThat(names).isEqualTo(VIP_TW);

        api.post("/campaigns/" + id + "/send");
        waitForStats(id, s -> s.get("status").asString().equals("COMPLETED"));
        List<JsonNode> messages = allMessages(id, "");
        assertThat(messages).hasSize(3).allSatisfy(m -> {
            List<String> tags = new ArrayList<>();
            m.get("tags").forEach(t -> tags.add(t.asString()));
            assertThat(tags).contains("vip", "tw");
        });
    }

    @Test
    void sendDeliversToEveryVipWithRetriesAndDeadLetters() throws InterruptedException {
        provider.failTwice.add("Bob");
        provider.alwaysFail.add("Farid");
        long id = create("Welcome Back", "Hi {{name}}, we miss you! 💌", "vip");
        JsonNode before = api.get("/campaigns/" + id + "/stats").json();
        assertThat(before.get("p50_ms").asLong()).isZero();

        Api.Response send = api.post("/campaigns/" + id + "/send");
        assertThat(send.status()).isEqualTo(202);
        assertThat(send.json().get("campaign_id").asLong()).isEqualTo(id);
        assertThat(send.json().get("status").asString()).isEqualTo("SENDING");
        assertThat(send.json().get("queued").asLong()).isEqualTo(8);

        JsonNode stats = waitForStats(id, s -> s.get("status").asString().equals("COMPLETED"));
        assertThat(stats.get("total").asLong()).isEqualTo(8);
        assertThat(stats.get("queued").asLong()).isZero();
        assertThat(stats.get("sent").asLong()).isEqualTo(7);
        assertThat(stats.get("failed").asLong()).isEqualTo(1);
        assertThat(stats.get("retries").asLong()).isEqualTo(2 + 4);
        assertThat(stats.get("p50_ms").isNumber()).isTrue();
        assertThat(stats.get("p95_ms").asLong()).isGreaterThanOrEqualTo(stats.get("p50_ms").asLong());
        assertThat(stats.get("p99_ms").asLong()).isGreaterThanOrEqualTo(stats.get("p95_ms").asLong());

        // Each recipient's message went out once, with the campaign's stable key, rendered for them.
        assertThat(provider.delivered).hasSize(7).allSatisfy((key, n) -> assertThat(n.get()).isEqualTo(1));
        assertThat(provider.bodies.values()).contains("Hi Alice Chen, we miss you! 💌");
        assertThat(provider.calls.get(provider.calls.keySet().stream()
                .filter(k -> provider.bodies.getOrDefault(k, "").contains("Bob")).findFirst().orElseThrow()).get()).isEqualTo(3);

        List<JsonNode> messages = allMessages(id, "");
        assertThat(messages).hasSize(8);
        Set<String> names = new HashSet<>();
        for (JsonNode m : messages) {
            names.add(m.get("recipient").get("name").asString());
            assertThat(m.get("created_at").asString()).isNotBlank();
        }
        assertThat(names).isEqualTo(VIP);
        for (int i = 1; i < messages.size(); i++) {
            assertThat(messages.get(i).get("id").asLong()).isLessThan(messages.get(i - 1).get("id").asLong());
        }
        JsonNode bob = messages.stream().filter(m -> m.get("recipient").get("name").asString().startsWith("Bob")).findFirst().orElseThrow();
        assertThat(bob.get("status").asString()).isEqualTo("SENT");
        assertThat(bob.get("attempts").asInt()).isEqualTo(3);
        assertThat(bob.get("sent_at").asString()).isNotBlank();
        assertThat(bob.get("latency_ms").asLong()).isGreaterThanOrEqualTo(0);

        List<JsonNode> dead = allMessages(id, "&status=FAILED");
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).get("recipient").get("name").asString()).isEqualTo("Farid Haddad");
        assertThat(dead.get(0).get("attempts").asInt()).isEqualTo(5);
        assertThat(dead.get(0).get("last_error").asString()).contains("scripted failure", "gave up after 5 attempts");
        assertThat(dead.get(0).get("tags").toString()).contains("vip");

        // Re-drive the dead letter once the provider accepts it again.
        provider.alwaysFail.clear();
        Api.Response redrive = api.post("/campaigns/" + id + "/retry-failed");
        assertThat(redrive.status()).isEqualTo(200);
        assertThat(redrive.json().get("requeued").asInt()).isEqualTo(1);
        JsonNode after = waitForStats(id, s -> s.get("status").asString().equals("COMPLETED") && s.get("sent").asLong() == 8);
        assertThat(after.get("failed").asLong()).isZero();
        assertThat(after.get("queued").asLong()).isZero();
        assertThat(allMessages(id, "&status=SENT")).hasSize(8);
    }

    @Test
    void sendingTwiceCreatesNothingNew() throws InterruptedException {
        long id = create("twice", "Hi {{name}}", "vip,tw");
        assertThat(api.post("/campaigns/" + id + "/send").status()).isEqualTo(202);
        Api.Response again = api.post("/campaigns/" + id + "/send");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.contentType()).startsWith("application/problem+json");
        assertThat(again.json().get("current_status").asString()).isIn("SENDING", "COMPLETED");
        waitForStats(id, s -> s.get("status").asString().equals("COMPLETED"));
        assertThat(api.post("/campaigns/" + id + "/send").status()).isEqualTo(409);
        assertThat(allMessages(id, "")).hasSize(3);
        assertThat(provider.delivered).hasSize(3).allSatisfy((key, n) -> assertThat(n.get()).isEqualTo(1));
    }

    @Test
    void messagesListValidatesItsParameters() {
        long id = create("params", "x", "vip");
        assertThat(api.get("/campaigns/" + id + "/messages").json().get("items")).isEmpty();
        assertProblem(api.get("/campaigns/" + id + "/messages?limit=0"), 400, "limit");
        assertProblem(api.get("/campaigns/" + id + "/messages?limit=1001"), 400, "limit");
        assertProblem(api.get("/campaigns/" + id + "/messages?status=LOST"), 400, "status");
        assertProblem(api.get("/campaigns/" + id + "/messages?cursor=abc"), 400, "cursor");
        assertThat(api.get("/campaigns/" + id + "/messages?limit=1000").status()).isEqualTo(200);
        assertThat(api.get("/campaigns/424242/messages").status()).isEqualTo(404);
        // nothing finished yet: an empty throughput series; bad sizes and unknown ids are problems
        JsonNode series = api.get("/campaigns/" + id + "/stats/throughput").json();
        assertThat(series.get("points")).isEmpty();
        assertThat(series.get("campaign_id").asLong()).isEqualTo(id);
        assertProblem(api.get("/campaigns/" + id + "/stats/throughput?points=1"), 400, "points");
        assertProblem(api.get("/campaigns/" + id + "/stats/throughput?points=1001"), 400, "points");
        assertThat(api.get("/campaigns/424242/stats/throughput").status()).isEqualTo(404);
    }

    @Test
    void badInputIsAProblemNamingTheFieldAndStoresNothing() {
        int before = api.get("/campaigns?limit=100").json().get("items").size();

        Api.Response malformed = api.post("/campaigns", "{\"name\": \"x\", ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.contentType()).startsWith("application/problem+json");
        assertThat(malformed.json().get("title").asString()).isEqualTo("Malformed JSON");
        assertThat(malformed.json().get("detail").asString()).contains("line 1");

        assertProblem(api.post("/campaigns", "{\"template\":\"Hi\",\"segment_rule\":\"vip\"}"), 400, "name");
        assertProblem(api.post("/campaigns", "{\"name\":\"x\",\"segment_rule\":\"vip\"}"), 400, "template");
        Api.Response badTemplate = api.post("/campaigns", "{\"name\":\"x\",\"template\":\"Hi\\n{{#list}} {{name}}\",\"segment_rule\":\"vip\"}");
        assertProblem(badTemplate, 400, "template");
        assertThat(badTemplate.json().get("errors").get(0).get("message").asString()).contains("line");
        Api.Response unclosed = api.post("/campaigns", "{\"name\":\"x\",\"template\":\"Hi {{name\",\"segment_rule\":\"vip\"}");
        assertThat(unclosed.json().get("errors").get(0).get("message").asString()).contains("line 1, column 4");
        assertProblem(api.post("/campaigns", "{\"name\":\"x\",\"template\":\"Hi\",\"segment_rule\":\"  \"}"), 400, "segment_rule");
        assertProblem(api.post("/campaigns", "{\"name\":\"x\",\"template\":\"Hi\",\"segment_rule\":\"vip,,tw\"}"), 400, "segment_rule");
        assertProblem(api.post("/campaigns", "{\"name\":\"x\",\"template\":\"Hi\",\"segment_rule\":\"v!p\"}"), 400, "segment_rule");
        assertProblem(api.post("/campaigns", "{\"name\":\"x\",\"template\":\"Hi\",\"segment_rule\":\"vip\",\"scheduled_at\":\"tomorrow\"}"),
                400, "scheduled_at");
        assertProblem(api.post("/campaigns", "{\"name\":\"x\",\"template\":\"Hi\",\"segment_rule\":\"vip\",\"scheduled_at\":\"2001-01-01T00:00:00Z\"}"),
                400, "scheduled_at");

        Api.Response unknown = api.get("/campaigns/987654");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        assertThat(unknown.json().get("detail").asString()).contains("987654");
        assertThat(api.post("/campaigns/987654/send").status()).isEqualTo(404);
        assertThat(api.get("/campaigns/987654/stats").status()).isEqualTo(404);
        assertThat(api.get("/campaigns/987654/preview").status()).isEqualTo(404);
        assertProblem(api.get("/campaigns/abc"), 400, "id");
        assertProblem(api.post("/campaigns/abc/send"), 400, "id");

        assertThat(api.get("/campaigns?limit=100").json().get("items")).hasSize(before);
        for (Api.Response r : List.of(malformed, unknown, badTemplate)) {
            assertThat(r.body()).doesNotContain("at io.herald", "Exception", "\"trace\"");
        }
    }

    @Test
    void pauseResumeAndCancelFollowTheLifecycle() {
        long id = create("lifecycle", "x", "vip");
        Api.Response pauseDraft = api.post("/campaigns/" + id + "/pause");
        assertProblem(pauseDraft, 409, null);
        assertThat(pauseDraft.json().get("current_status").asString()).isEqualTo("DRAFT");
        Api.Response cancelled = api.post("/campaigns/" + id + "/cancel");
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asString()).isEqualTo("CANCELLED");
        assertProblem(api.post("/campaigns/" + id + "/send"), 409, null);
        assertProblem(api.post("/campaigns/" + id + "/resume"), 409, null);
        assertProblem(api.patch("/campaigns/" + id, "{\"name\":\"renamed\"}"), 409, null);
    }

    @Test
    void patchEditsADraft() {
        long id = create("draft", "Hi {{name}}", "vip");
        Api.Response patched = api.patch("/campaigns/" + id, "{\"name\":\"renamed\",\"segment_rule\":\"vip,tw\"}");
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json().get("name").asString()).isEqualTo("renamed");
        assertThat(patched.json().get("segment_rule").asString()).isEqualTo("vip,tw");
        assertThat(patched.json().get("template").asString()).isEqualTo("Hi {{name}}");
        assertProblem(api.patch("/campaigns/" + id, "{\"template\":\"{{/oops}}\"}"), 400, "template");
        assertThat(api.get("/campaigns/" + id).json().get("template").asString()).isEqualTo("Hi {{name}}");
    }

    @Test
    void apiIsDescribedByOpenApiAndSwaggerUi() {
        JsonNode docs = api.get("/v3/api-docs").json();
        for (String path : List.of("/campaigns", "/campaigns/{id}", "/campaigns/{id}/preview", "/campaigns/{id}/send",
                "/campaigns/{id}/stats", "/campaigns/{id}/messages", "/campaigns/{id}/retry-failed")) {
            assertThat(docs.get("paths").has(path)).as(path).isTrue();
        }
        assertThat(docs.get("components").get("schemas").has("CampaignView")).isTrue();
        Api.Response swagger = api.get("/docs");
        assertThat(swagger.status()).isIn(200, 302);
        assertThat(api.get("/swagger-ui/index.html").status()).isEqualTo(200);
    }

    static void assertProblem(Api.Response response, int status, String field) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode body = response.json();
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("title").asString()).isNotBlank();
        assertThat(body.get("detail").asString()).isNotBlank();
        if (field != null) {
            List<String> fields = new ArrayList<>();
            body.get("errors").forEach(e -> fields.add(e.get("field").asString()));
            assertThat(fields).contains(field);
        }
    }
}
