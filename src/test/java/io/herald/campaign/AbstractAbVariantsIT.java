package io.herald.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.herald.testsupport.Api;
import io.herald.testsupport.ScriptedHeraldTest;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * A/B variants end to end on each database with the scripted provider (which keeps each recipient's body): the weighted split,
 * the automatic winner (test share, wait, clicks on variant B through the real tracking links, B to everyone else),
 * per-variant stats and messages, the timeline, pause and cancel during the wait, and the 400s.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "herald.provider.type=scripted",
        "herald.delivery.rate-per-sec=0",
        "herald.scheduler.poll-interval=200ms",
})
@org.springframework.context.annotation.Import(ScriptedHeraldTest.ScriptedProviderConfiguration.class)
abstract class AbstractAbVariantsIT {
    @org.springframework.boot.test.web.server.LocalServerPort
    int port;
    @org.springframework.beans.factory.annotation.Autowired
    io.herald.testsupport.ScriptedProvider provider;
    Api api;

    @org.junit.jupiter.api.BeforeEach
    void connect() {
        api = new Api(port);
        provider.reset();
    }

    private static final Pattern LINK = Pattern.compile("href=\"https?://[^/\"]+(/l/[^\"]+)\"");

    @Test
    void variantsSplitByWeightEveryRecipientGetsItsOwnVariantAndStatsAreCountedPerVariant() {
        String tag = importRecipients(400);
        Map<String, Object> body = campaign("Split", tag, List.of(variant("A", 25), variant("B", 75)), null);
        long id = create(body);
        assertThat(api.post("/campaigns/" + id + "/send").status()).isEqualTo(202);
        JsonNode done = api.waitForStats(id, s -> "COMPLETED".equals(s.path("status").asString()), Duration.ofSeconds(60));
        assertThat(done.path("sent").asLong()).isEqualTo(400);

        JsonNode campaign = api.get("/campaigns/" + id).json();
        VariantSplit split = new VariantSplit(id, List.of(25, 75));
        Map<String, Long> expected = new HashMap<>(Map.of("A", 0L, "B", 0L));
        for (JsonNode m : allMessages(id, "")) {
            long recipient = m.path("recipient").path("id").asLong();
            String name = split.variant(recipient) == 0 ? "A" : "B";
            assertThat(m.path("variant").asString()).isEqualTo(name);
            assertThat(provider.bodies.get("herald-" + id + "-" + recipient)).contains("variant " + name);
            expected.merge(name, 1L, Long::sum);
        }
        assertThat(campaign.path("variants")).hasSize(2);
        JsonNode byVariant = api.get("/campaigns/" + id + "/stats?by=variant").json();
        assertThat(byVariant.path("variants").get(0).path("name").asString()).isEqualTo("A");
        assertThat(byVariant.path("variants").get(0).path("weight").asInt()).isEqualTo(25);
        assertThat(byVariant.path("variants").get(0).path("sent").asLong()).isEqualTo(expected.get("A")).isBetween(70L, 130L);
        assertThat(byVariant.path("variants").get(1).path("sent").asLong()).isEqualTo(expected.get("B"));
        assertThat(byVariant.path("ab_phase").isNull()).isTrue();
        assertThat(allMessages(id, "&variant=a")).hasSize((int) (long) expected.get("A"))
                .allSatisfy(m -> assertThat(m.path("variant").asString()).isEqualTo("A"));
    }

    @Test
    void theWinnerByClicksGoesToTheRestAfterTheWaitAndIsInTheTimeline() {
        int size = 500;
        String tag = importRecipients(size);
        long id = create(campaign("Winner", tag, List.of(variant("A", 50), variant("B", 50)),
                Map.of("share", 20, "metric", "clicks", "wait", "PT4S")));
        assertThat(api.post("/campaigns/" + id + "/send").status()).isEqualTo(202);
        JsonNode waiting = waitForCampaign(id, c -> "WAITING".equals(c.path("ab_phase").asString()));
        assertThat(waiting.path("status").asString()).isEqualTo("SENDING");
        assertThat(waiting.path("ab_test").path("wait_until").isNull()).isFalse();

        // The test group only: about 20 %, each recipient in it by the stable hash, both variants present.
        VariantSplit split = new VariantSplit(id, List.of(50, 50));
        List<JsonNode> test = allMessages(id, "");
        assertThat(test.size()).isBetween(size / 10, size * 3 / 10);
        Map<Long, String> testVariant = new LinkedHashMap<>();
        for (JsonNode m : test) {
            long recipient = m.path("recipient").path("id").asLong();
            assertThat(split.inTestGroup(recipient, 20)).isTrue();
            testVariant.put(recipient, m.path("variant").asString());
        }
        assertThat(testVariant.values()).contains("A", "B");

        // Variant B's recipients click the (real, tracked) link of their message, A's do not, twice over for one.
        int clicked = 0;
        for (Map.Entry<Long, String> e : testVariant.entrySet()) {
            if ("B".equals(e.getValue()) && clicked < 5) {
                String path = clickPath(provider.bodies.get("herald-" + id + "-" + e.getKey()));
                assertThat(api.get(path).status()).isEqualTo(302);
                assertThat(api.get(path).status()).isEqualTo(302);
                clicked++;
            }
        }
        JsonNode done = waitForCampaign(id, c -> "COMPLETED".equals(c.path("status").asString()));
        assertThat(done.path("winner").asString()).isEqualTo("B");
        assertThat(done.path("ab_phase").asString()).isEqualTo("WINNER");

        // Everyone got exactly one message; the test group kept its variants, the rest got only B.
        List<JsonNode> all = allMessages(id, "");
        assertThat(all).hasSize(size);
        long rest = 0;
        for (JsonNode m : all) {
            long recipient = m.path("recipient").path("id").asLong();
            String expected = testVariant.getOrDefault(recipient, "B");
            assertThat(m.path("variant").asString()).as("recipient %d", recipient).isEqualTo(expected);
            assertThat(provider.bodies.get("herald-" + id + "-" + recipient)).contains("variant " + expected);
            assertThat(provider.calls.get("herald-" + id + "-" + recipient).get()).isEqualTo(1);
            if (!testVariant.containsKey(recipient)) {
                assertThat(split.inTestGroup(recipient, 20)).isFalse();
                rest++;
            }
        }
        long testA = testVariant.values().stream().filter("A"::equals).count();
        JsonNode byVariant = api.get("/campaigns/" + id + "/stats?by=variant").json();
        assertThat(byVariant.path("winner").asString()).isEqualTo("B");
        JsonNode a = byVariant.path("variants").get(0);
        JsonNode b = byVariant.path("variants").get(1);
        assertThat(a.path("sent").asLong()).isEqualTo(testA);
        assertThat(b.path("sent").asLong()).isEqualTo(test.size() - testA + rest);
        assertThat(a.path("clicks").asLong()).isZero();
        assertThat(b.path("clicks").asLong()).as("unique clicks").isEqualTo(5);
        assertThat(b.path("winner").asBoolean()).isTrue();
        assertThat(a.path("winner").asBoolean()).isFalse();

        List<String> events = new ArrayList<>();
        String winnerDetail = null;
        for (JsonNode e : api.get("/campaigns/" + id + "/timeline").json().path("items")) {
            events.add(e.path("event").asString());
            if ("winner".equals(e.path("event").asString())) {
                winnerDetail = e.path("detail").asString();
            }
        }
        assertThat(events).containsSubsequence("sending", "ab_test", "ab_waiting", "winner", "completed");
        assertThat(winnerDetail).startsWith("winner B (clicks per sent: A 0/" + testA + ", B 5/" + (test.size() - testA) + ")");
    }

    @Test
    void pausingAndCancellingDuringTheWaitSendNothingMore() throws InterruptedException {
        String tag = importRecipients(100);
        long id = create(campaign("Cancelled", tag, List.of(variant("A", 1), variant("B", 1)),
                Map.of("share", 30, "metric", "opens", "wait", "PT2S")));
        api.post("/campaigns/" + id + "/send");
        waitForCampaign(id, c -> "WAITING".equals(c.path("ab_phase").asString()));
        int testGroup = allMessages(id, "").size();
        assertThat(api.post("/campaigns/" + id + "/pause").status()).isEqualTo(200);
        Thread.sleep(3_000); // past the wait: a paused campaign's winner is not chosen
        JsonNode paused = api.get("/campaigns/" + id).json();
        assertThat(paused.path("status").asString()).isEqualTo("PAUSED");
        assertThat(paused.path("ab_phase").asString()).isEqualTo("WAITING");
        assertThat(allMessages(id, "")).hasSize(testGroup);
        assertThat(api.post("/campaigns/" + id + "/cancel").status()).isEqualTo(200);
        Thread.sleep(1_000);
        JsonNode cancelled = api.get("/campaigns/" + id).json();
        assertThat(cancelled.path("status").asString()).isEqualTo("CANCELLED");
        assertThat(cancelled.path("winner").isNull()).isTrue();
        assertThat(allMessages(id, "")).hasSize(testGroup);

        // Resumed after the wait instead, the winner (opens: none, so the first) goes to the rest.
        String tag2 = importRecipients(60);
        long second = create(campaign("Resumed", tag2, List.of(variant("A", 1), variant("B", 1)),
                Map.of("share", 30, "metric", "opens", "wait", "PT1S")));
        api.post("/campaigns/" + second + "/send");
        waitForCampaign(second, c -> "WAITING".equals(c.path("ab_phase").asString()));
        api.post("/campaigns/" + second + "/pause");
        Thread.sleep(1_500);
        assertThat(api.get("/campaigns/" + second).json().path("ab_phase").asString()).isEqualTo("WAITING");
        assertThat(api.post("/campaigns/" + second + "/resume").status()).isEqualTo(200);
        JsonNode done = waitForCampaign(second, c -> "COMPLETED".equals(c.path("status").asString()));
        assertThat(done.path("winner").asString()).isEqualTo("A");
        assertThat(allMessages(second, "")).hasSize(60);
    }

    @Test
    void invalidVariantsAndAbTestsAre400sNamingTheField() {
        String tag = importRecipients(1);
        assertProblem(campaign("x", tag, List.of(variant("A", 1)), null), "variants");
        assertProblem(campaign("x", tag, List.of(variant("A", 1), variant("a", 1)), null), "variants[1].name");
        assertProblem(campaign("x", tag, List.of(variant("A", 0), variant("B", 1)), null), "variants[0].weight");
        List<Map<String, Object>> six = new ArrayList<>();
        for (String n : List.of("A", "B", "C", "D", "E", "F")) {
            six.add(variant(n, 1));
        }
        assertProblem(campaign("x", tag, six, null), "variants");
        Map<String, Object> broken = variant("B", 1);
        broken.put("template", "<p>{{#open</p>");
        assertProblem(campaign("x", tag, List.of(variant("A", 1), broken), null), "variants[1].template");
        Map<String, Object> blankName = variant(" ", 1);
        assertProblem(campaign("x", tag, List.of(variant("A", 1), blankName), null), "variants[1].name");
        List<Map<String, Object>> two = List.of(variant("A", 1), variant("B", 1));
        assertProblem(campaign("x", tag, two, Map.of("share", 20, "wait", "2h")), "ab_test.wait");
        assertProblem(campaign("x", tag, two, Map.of("share", 0, "wait", "PT1H")), "ab_test.share");
        assertProblem(campaign("x", tag, two, Map.of("share", 20, "metric", "likes", "wait", "PT1H")), "ab_test.metric");
        assertProblem(campaign("x", tag, null, Map.of("share", 20, "wait", "PT1H")), "ab_test");
        Map<String, Object> untracked = campaign("x", tag, two, Map.of("share", 20, "wait", "PT1H"));
        untracked.put("track_clicks", false);
        assertProblem(untracked, "ab_test.metric");
        assertThat(api.get("/campaigns").json().path("items").findValuesAsString("name")).doesNotContain("x");

        long id = create(campaign("ok", tag, two, null));
        Api.Response patch = api.patch("/campaigns/" + id, Api.json(Map.of("variants", List.of())));
        assertThat(patch.status()).isEqualTo(400);
        assertThat(patch.body()).contains("\"variants\"");
        Api.Response renamed = api.patch("/campaigns/" + id, Api.json(Map.of("name", "renamed")));
        assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
        assertThat(renamed.json().path("variants")).as("an edit keeps the variants").hasSize(2);
        Api.Response by = api.get("/campaigns/" + id + "/stats?by=channel");
        assertThat(by.status()).isEqualTo(400);
        assertThat(by.body()).contains("\"by\"");
        Api.Response variant = api.get("/campaigns/" + id + "/messages?variant=Z");
        assertThat(variant.status()).isEqualTo(400);
        assertThat(variant.body()).contains("\"variant\"");
    }

    private void assertProblem(Map<String, Object> body, String field) {
        Api.Response r = api.post("/campaigns", Api.json(body));
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        List<String> fields = new ArrayList<>();
        r.json().path("errors").forEach(e -> fields.add(e.path("field").asString()));
        assertThat(fields).as(r.body()).contains(field);
    }

    private static String clickPath(String body) {
        Matcher m = LINK.matcher(body);
        assertThat(m.find()).as(body).isTrue();
        return m.group(1);
    }

    private static Map<String, Object> variant(String name, int weight) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", name);
        v.put("subject", "Subject " + name + " for {{name}}");
        v.put("template", "<p>Hi {{name}}, variant " + name + ": <a href=\"https://shop.example.com/" + name + "\">offer</a></p>");
        v.put("weight", weight);
        return v;
    }

    private static Map<String, Object> campaign(String name, String tag, List<Map<String, Object>> variants,
                                                Map<String, Object> abTest) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("channel", "email");
        body.put("segment_rule", tag);
        if (variants == null) {
            body.put("template", "<p>Hi</p>");
        } else {
            body.put("variants", variants);
        }
        if (abTest != null) {
            body.put("ab_test", abTest);
        }
        return body;
    }

    private long create(Map<String, Object> body) {
        Api.Response r = api.post("/campaigns", Api.json(body));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("id").asLong();
    }

    private JsonNode waitForCampaign(long id, Predicate<JsonNode> condition) {
        return api.waitFor("/campaigns/" + id, condition, Duration.ofSeconds(60));
    }

    private List<JsonNode> allMessages(long id, String query) {
        List<JsonNode> items = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = api.get("/campaigns/" + id + "/messages?limit=1000" + query + (cursor == null ? "" : "&cursor=" + cursor)).json();
            page.path("items").forEach(items::add);
            cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asString();
        } while (cursor != null);
        return items;
    }

    /** Imports {@code n} recipients with email addresses under a fresh tag and returns the tag. */
    private String importRecipients(int n) {
        String tag = "ab" + UUID.randomUUID().toString().substring(0, 6);
        StringBuilder csv = new StringBuilder("name,email,tags\n");
        for (int i = 0; i < n; i++) {
            csv.append("R").append(i).append(',').append(tag).append('.').append(i).append("@ab.test,").append(tag).append('\n');
        }
        Api.Response upload = api.upload("/recipients/import", "ab.csv", csv.toString().getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(api.awaitImport(upload).path("imported").asLong()).isEqualTo(n);
        return tag;
    }
}
