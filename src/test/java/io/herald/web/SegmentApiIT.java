package io.herald.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.herald.testsupport.Api;
import io.herald.testsupport.ScriptedHeraldTest;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import tools.jackson.databind.JsonNode;

/**
 * {@code segment=} over HTTP on embedded H2: for a set of expressions the list (walked in small keyset pages) and
 * the count agree with each other and with the same rule evaluated here in Java; a rule that does not parse is a
 * 400 problem naming {@code segment} and its column; quotes in values are data, never SQL; and a campaign with an
 * expression sends to exactly the recipients it selects.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "herald.demo-data=false",
        "herald.provider.type=scripted",
        "herald.delivery.rate-per-sec=0",
        // a context (and H2 database) of its own: the counts here assume no one else's recipients
        "herald.test.context=segment-api",
})
class SegmentApiIT extends ScriptedHeraldTest {
    private static final String INJECTION_CITY = "Robert'); DROP TABLE recipients;--";
    private static final List<Person> PEOPLE = new ArrayList<>();

    /** A recipient as created, to evaluate rules on here. */
    record Person(String name, String email, Set<String> tags, Map<String, String> attributes) {
        String city() {
            return attributes.get("city");
        }

        boolean tagged(String tag) {
            return tags.contains(tag);
        }
    }

    @BeforeEach
    void seedOnce() {
        // One application context (and database) serves every test of this class: create the people once.
        synchronized (PEOPLE) {
            if (!PEOPLE.isEmpty()) {
                return;
            }
            String[] cities = {"Taipei", "Tainan", null, "Kaohsiung"};
            for (int i = 0; i < 30; i++) {
                Set<String> tags = new TreeSet<>();
                if (i % 2 == 0) tags.add("vip");
                if (i % 3 == 0) tags.add("tw");
                if (i % 5 == 0) tags.add("jp");
                if (i % 7 == 0) tags.add("churned");
                Map<String, String> attributes = new LinkedHashMap<>();
                if (cities[i % 4] != null) attributes.put("city", cities[i % 4]);
                if (i % 6 == 1) attributes.put("plan", "gold");
                add(new Person("Person %02d".formatted(i), "p%02d@%s".formatted(i, i % 3 == 0 ? "corp.test" : "example.com"),
                        tags, attributes));
            }
            add(new Person("Mallory", "mallory@example.com", Set.of("vip"), Map.of("city", INJECTION_CITY)));
        }
    }

    private void add(Person p) {
        Api.Response r = api.post("/recipients", Api.json(Map.of("name", p.name(), "email", p.email(), "tags", p.tags(),
                "attributes", p.attributes())));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        PEOPLE.add(p);
    }

    private static String q(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }

    private Set<String> expected(Predicate<Person> rule) {
        return PEOPLE.stream().filter(rule).map(Person::name).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Every page of GET /recipients?segment=..., checking each page is newest first and no one appears twice. */
    private List<String> listAll(String segment, int limit) {
        List<String> names = new ArrayList<>();
        long lastId = Long.MAX_VALUE;
        String cursor = null;
        int pages = 0;
        do {
            Api.Response r = api.get("/recipients?limit=" + limit + "&segment=" + q(segment) + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            JsonNode page = r.json();
            assertThat(page.get("items").size()).isLessThanOrEqualTo(limit);
            for (JsonNode item : page.get("items")) {
                assertThat(item.get("id").asLong()).isLessThan(lastId);
                lastId = item.get("id").asLong();
                names.add(item.get("name").asString());
            }
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asString();
            assertThat(++pages).isLessThan(100);
        } while (cursor != null);
        return names;
    }

    private long count(String segment) {
        Api.Response r = api.get("/recipients/count?segment=" + q(segment));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("count").asLong();
    }

    private static String greeted(String body) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Hi (Person \\d\\d|Mallory)").matcher(body);
        assertThat(m.find()).as(body).isTrue();
        return m.group(1);
    }

    @Test
    void listAndCountAgreeWithTheRuleEvaluatedInMemory() {
        Map<String, Predicate<Person>> rules = new LinkedHashMap<>();
        rules.put("vip and (tw or jp) and not churned", p -> p.tagged("vip") && (p.tagged("tw") || p.tagged("jp")) && !p.tagged("churned"));
        rules.put("VIP Or churned", p -> p.tagged("vip") || p.tagged("churned"));
        rules.put("not vip or tw and jp", p -> !p.tagged("vip") || (p.tagged("tw") && p.tagged("jp")));
        rules.put("city = \"taipei\"", p -> "Taipei".equals(p.city()));
        rules.put("city != \"Taipei\"", p -> !"Taipei".equals(p.city()));
        rules.put("city in (\"Taipei\", \"Tainan\") and not jp", p -> ("Taipei".equals(p.city()) || "Tainan".equals(p.city())) && !p.tagged("jp"));
        rules.put("has(city) and not has(plan)", p -> p.city() != null && !p.attributes().containsKey("plan"));
        rules.put("email ends_with \"@corp.test\"", p -> p.email().endsWith("@corp.test"));
        rules.put("name = \"Person 07\" or plan = \"gold\"", p -> p.name().equals("Person 07") || "gold".equals(p.attributes().get("plan")));
        rules.put("vip,tw", p -> p.tagged("vip") && p.tagged("tw"));
        rules.forEach((segment, rule) -> {
            Set<String> want = expected(rule);
            assertThat(want).as("the test data exercise %s", segment).isNotEmpty().hasSizeLessThan(PEOPLE.size());
            List<String> listed = listAll(segment, 4);
            assertThat(listed).as(segment).doesNotHaveDuplicates();
            assertThat(new TreeSet<>(listed)).as(segment).isEqualTo(want);
            assertThat(count(segment)).as(segment).isEqualTo(want.size());
        });
    }

    @Test
    void aRuleThatDoesNotParseIsAProblemNamingSegmentAndTheColumn() {
        Map<String, Integer> columns = Map.of(
                "vip and or tw", 9,
                "(vip or tw", 11,
                "city = ", 8,
                "vip tw", 5);
        columns.forEach((segment, column) -> {
            for (String path : List.of("/recipients/count?segment=", "/recipients?segment=")) {
                Api.Response r = api.get(path + q(segment));
                assertThat(r.status()).as(segment + " " + r.body()).isEqualTo(400);
                assertThat(r.contentType()).startsWith("application/problem+json");
                JsonNode error = r.json().get("errors").get(0);
                assertThat(error.get("field").asString()).isEqualTo("segment");
                assertThat(error.get("column").asInt()).as(segment).isEqualTo(column);
                assertThat(error.get("message").asString()).startsWith("column " + column + ":");
            }
        });
        Api.Response campaign = api.post("/campaigns", Api.json(Map.of("name", "bad", "template", "Hi", "segment_rule", "vip and or tw")));
        assertThat(campaign.status()).isEqualTo(400);
        JsonNode error = campaign.json().get("errors").get(0);
        assertThat(error.get("field").asString()).isEqualTo("segment_rule");
        assertThat(error.get("column").asInt()).isEqualTo(9);
    }

    @Test
    void quotesInValuesAreDataNotSql() {
        assertThat(count("city = \"x' OR 1=1 --\"")).isZero();
        assertThat(listAll("city = \"x' OR 1=1 --\"", 10)).isEmpty();
        assertThat(count("name = \"\\\" or 1=1 --\" or email ends_with \"' or ''='\"")).isZero();
        // The one recipient whose city is an injection attempt is found by exactly that text.
        String mallory = "city = \"" + INJECTION_CITY + "\"";
        assertThat(listAll(mallory, 10)).containsExactly("Mallory");
        assertThat(count(mallory)).isEqualTo(1);
        assertThat(count("has(city)")).isEqualTo(expected(p -> p.city() != null).size());
    }

    @Test
    void aCampaignWithAnExpressionSendsToExactlyTheRecipientsItSelects() {
        String rule = "(vip or city = \"Kaohsiung\") and not churned and email ends_with \"@example.com\"";
        Set<String> want = expected(p -> (p.tagged("vip") || "Kaohsiung".equals(p.city())) && !p.tagged("churned")
                && p.email().endsWith("@example.com"));
        Api.Response created = api.post("/campaigns", Api.json(Map.of("name", "expression", "template", "Hi {{name}}", "segment_rule", rule)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(api.get("/campaigns/" + id + "/preview").json().get("total_targets").asLong()).isEqualTo(want.size());

        Api.Response send = api.post("/campaigns/" + id + "/send");
        assertThat(send.status()).as(send.body()).isEqualTo(202);
        assertThat(send.json().get("queued").asLong()).isEqualTo(want.size());
        api.waitForStats(id, s -> s.get("status").asString().equals("COMPLETED"));
        // An email body may gain a footer; the greeting names whom it went to.
        Set<String> sentTo = provider.bodies.values().stream().map(SegmentApiIT::greeted)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(sentTo).isEqualTo(want);
        assertThat(provider.delivered.values()).allMatch(n -> n.get() == 1);
    }
}
