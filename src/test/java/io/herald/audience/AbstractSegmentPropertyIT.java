package io.herald.audience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.herald.Channel;
import io.herald.HeraldApplication;
import io.herald.audience.SegmentExpression.And;
import io.herald.audience.SegmentExpression.Condition;
import io.herald.audience.SegmentExpression.Not;
import io.herald.audience.SegmentExpression.Op;
import io.herald.audience.SegmentExpression.Or;
import io.herald.audience.SegmentExpression.Subject;
import io.herald.audience.SegmentExpression.Tag;
import io.herald.testsupport.TestDatabase;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The SQL of a segment expression selects exactly the recipients its in-memory evaluation selects: random
 * recipients (tags, names, emails, phones, attributes in mixed case, some unsubscribed) and random expressions
 * over them, on each database. Count, the fan-out's keyset pages (tag-driven and id-driven) and the console's
 * newest-first list must all agree with {@link SegmentExpression#matches}. A bounded number of tries keeps the
 * build short.
 */
abstract class AbstractSegmentPropertyIT {
    static final int TRIES = 60;
    private static final Map<Class<?>, ConfigurableApplicationContext> CONTEXTS = new ConcurrentHashMap<>();
    private static final List<String> TAGS = List.of("a", "b", "c");
    private static final List<String> VALUES = List.of("taipei", "TAIPEI", "Tainan", "gold", "ann", "@example.com",
            "example.com", "", "x_y%", "%", "_", "+1555");

    abstract TestDatabase database();

    private ConfigurableApplicationContext context() {
        return CONTEXTS.computeIfAbsent(getClass(), c -> {
            Map<String, String> properties = new HashMap<>(database().create());
            properties.put("herald.roles", "api");
            properties.put("herald.demo-data", "false");
            return new SpringApplicationBuilder(HeraldApplication.class).web(WebApplicationType.NONE)
                    .run(properties.entrySet().stream().map(p -> "--" + p.getKey() + "=" + p.getValue()).toArray(String[]::new));
        });
    }

    @AfterContainer
    static void stop() {
        CONTEXTS.values().forEach(ConfigurableApplicationContext::close);
        CONTEXTS.clear();
    }

    record Person(List<String> tags, String name, String email, String phone, Map<String, String> attributes,
                  boolean active) {
    }

    @Property(tries = TRIES)
    void sqlSelectsWhatTheExpressionMatches(@ForAll("people") List<Person> people, @ForAll("expressions") SegmentExpression generated) {
        SegmentRule rule = SegmentRule.parse(generated.text());
        SegmentExpression expression = rule.expression() != null ? rule.expression() : new Tag(rule.tags().get(0));
        ConfigurableApplicationContext context = context();
        RecipientRepository recipients = context.getBean(RecipientRepository.class);
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        List<Long> ids = new TransactionTemplate(context.getBean(PlatformTransactionManager.class)).execute(s -> {
            jdbc.update("DELETE FROM recipient_tags");
            jdbc.update("DELETE FROM recipients");
            List<NewRecipient> rows = people.stream()
                    .map(p -> new NewRecipient(p.name(), p.email(), p.phone(), p.tags(), p.attributes())).toList();
            List<Long> inserted = recipients.insertAll(rows, System.currentTimeMillis());
            for (int i = 0; i < people.size(); i++) {
                if (!people.get(i).active()) {
                    recipients.setStatus(inserted.get(i), "UNSUBSCRIBED", System.currentTimeMillis());
                }
            }
            return inserted;
        });
        List<Long> expected = new ArrayList<>();
        List<Long> expectedListed = new ArrayList<>();
        List<Long> expectedByEmail = new ArrayList<>();
        for (int i = 0; i < people.size(); i++) {
            Person p = people.get(i);
            if (expression.matches(new Subject(new HashSet<>(p.tags()), p.name(), p.email(), p.phone(), p.attributes()))) {
                expectedListed.add(ids.get(i));
                if (p.active()) {
                    expected.add(ids.get(i));
                    if (p.email() != null) {
                        expectedByEmail.add(ids.get(i));
                    }
                }
            }
        }
        String what = rule + " over " + people;
        assertThat(recipients.countTargets(rule, null, true)).as("count of %s", what).isEqualTo(expected.size());
        assertThat(recipients.countTargets(rule, Channel.EMAIL, true)).as("count by email of %s", what)
                .isEqualTo(expectedByEmail.size());
        assertThat(fanOut(recipients, rule, null)).as("fan-out of %s", what).isEqualTo(expected);
        assertThat(fanOut(recipients, rule, Channel.EMAIL)).as("fan-out by email of %s", what).isEqualTo(expectedByEmail);
        List<Long> listed = new ArrayList<>();
        long before = Long.MAX_VALUE;
        while (true) {
            List<Recipient> page = recipients.page(rule, null, null, before, 4);
            page.forEach(r -> listed.add(r.id()));
            if (page.size() < 4) {
                break;
            }
            before = page.get(page.size() - 1).id();
        }
        expectedListed.sort(Comparator.reverseOrder());
        assertThat(listed).as("list of %s", what).isEqualTo(expectedListed);
    }

    private static List<Long> fanOut(RecipientRepository recipients, SegmentRule rule, Channel channel) {
        List<Long> all = new ArrayList<>();
        long cursor = 0;
        while (true) {
            // A small page, so that a run crosses several slices.
            List<Long> page = recipients.targetIds(rule, channel, cursor, 3);
            if (page.isEmpty()) {
                return all;
            }
            all.addAll(page);
            cursor = page.get(page.size() - 1);
        }
    }

    @Provide
    Arbitrary<List<Person>> people() {
        Arbitrary<List<String>> tags = Arbitraries.of(TAGS).list().ofMaxSize(3).map(t -> new ArrayList<>(new LinkedHashSet<>(t)));
        Arbitrary<String> name = Arbitraries.of("Ann", "ann", "BO", "", "x_y%", "Taipei");
        Arbitrary<String> value = Arbitraries.of("Taipei", "taipei", "TAIPEI", "Tainan", "gold", "", "x_y%").injectNull(0.3);
        Arbitrary<Map<String, String>> attributes = Combinators.combine(value, value, value).as((city, level, upper) -> {
            Map<String, String> map = new HashMap<>();
            if (city != null) {
                map.put("city", city);
            }
            if (level != null) {
                map.put("level", level);
            }
            if (upper != null) {
                map.put("City", upper);
            }
            return map;
        });
        Arbitrary<Person> person = Combinators.combine(tags, name, Arbitraries.of("example.com", "Example.org", "test.example.com").injectNull(0.3),
                        Arbitraries.integers().between(0, 9).injectNull(0.4), attributes, Arbitraries.of(true, true, true, false))
                .as((t, n, domain, phone, a, active) -> new Person(t, n, domain, phone == null ? null : "+1555000000" + phone, a, active));
        return person.list().ofMinSize(1).ofMaxSize(25).map(AbstractSegmentPropertyIT::unique);
    }

    /** Emails and phones are unique per recipient: number them. */
    private static List<Person> unique(List<Person> people) {
        List<Person> result = new ArrayList<>();
        for (int i = 0; i < people.size(); i++) {
            Person p = people.get(i);
            result.add(new Person(p.tags(), p.name(), p.email() == null ? null : "r" + i + "@" + p.email().toLowerCase(),
                    p.phone() == null ? null : "+15550" + (100000 + i), p.attributes(), p.active()));
        }
        return result;
    }

    @Provide
    Arbitrary<SegmentExpression> expressions() {
        return expression(3);
    }

    private Arbitrary<SegmentExpression> expression(int depth) {
        Arbitrary<SegmentExpression> tag = Arbitraries.of("a", "b", "c", "z").map(Tag::new);
        Arbitrary<String> field = Arbitraries.of("name", "email", "phone", "city", "level", "City", "missing");
        Arbitrary<SegmentExpression> condition = Combinators.combine(field, Arbitraries.of(Op.values()),
                Arbitraries.of(VALUES).list().ofMinSize(1).ofMaxSize(3)).as((f, op, values) -> new Condition(f,
                !SegmentExpression.FIELDS.contains(f), op, switch (op) {
                    case HAS -> List.of();
                    case IN -> values;
                    default -> values.subList(0, 1);
                }));
        Arbitrary<SegmentExpression> leaf = Arbitraries.oneOf(tag, condition);
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<SegmentExpression> inner = Arbitraries.lazy(() -> expression(depth - 1));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, leaf),
                net.jqwik.api.Tuple.of(2, inner.list().ofMinSize(2).ofMaxSize(3).map(And::new)),
                net.jqwik.api.Tuple.of(2, inner.list().ofMinSize(2).ofMaxSize(3).map(Or::new)),
                net.jqwik.api.Tuple.of(1, inner.map(Not::new)));
    }
}
