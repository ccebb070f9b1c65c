package io.herald.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.herald.audience.SegmentExpression.And;
import io.herald.audience.SegmentExpression.Condition;
import io.herald.audience.SegmentExpression.Not;
import io.herald.audience.SegmentExpression.Op;
import io.herald.audience.SegmentExpression.Or;
import io.herald.audience.SegmentExpression.Subject;
import io.herald.audience.SegmentExpression.Tag;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SegmentExpressionTest {

    private static SegmentExpression parse(String text) {
        SegmentRule rule = SegmentRule.parse(text);
        assertThat(rule.isTagList()).as("%s is an expression", text).isFalse();
        return rule.expression();
    }

    @Test
    void commaListsStayTagLists() {
        assertThat(SegmentRule.parse("vip,tw").isTagList()).isTrue();
        assertThat(SegmentRule.parse(" VIP , tw ").tags()).containsExactly("vip", "tw");
        assertThat(SegmentRule.parse("vip").isTagList()).isTrue();
        assertThat(SegmentRule.parse("has").isTagList()).isTrue();
    }

    @Test
    void notBindsTighterThanAndWhichBindsTighterThanOr() {
        assertThat(parse("a or b and not c")).isEqualTo(new Or(List.of(new Tag("a"),
                new And(List.of(new Tag("b"), new Not(new Tag("c")))))));
        assertThat(parse("not a and b")).isEqualTo(new And(List.of(new Not(new Tag("a")), new Tag("b"))));
        assertThat(parse("(a or b) and c")).isEqualTo(new And(List.of(new Or(List.of(new Tag("a"), new Tag("b"))), new Tag("c"))));
        assertThat(parse("not (a or b)")).isEqualTo(new Not(new Or(List.of(new Tag("a"), new Tag("b")))));
        assertThat(parse("a AND b Or C")).isEqualTo(new Or(List.of(new And(List.of(new Tag("a"), new Tag("b"))), new Tag("c"))));
        assertThat(parse("(a and b) and c")).as("grouping of one operator is flattened").isEqualTo(parse("a and b and c"));
    }

    @Test
    void conditionsOnFieldsAndAttributes() {
        assertThat(parse("city = \"Taipei\"")).isEqualTo(new Condition("city", true, Op.EQ, List.of("taipei")));
        assertThat(parse("City != 'Taipei'")).isEqualTo(new Condition("City", true, Op.NE, List.of("taipei")));
        assertThat(parse("city in (\"Taipei\", \"Tainan\")")).isEqualTo(new Condition("city", true, Op.IN, List.of("taipei", "tainan")));
        assertThat(parse("has(city)")).isEqualTo(new Condition("city", true, Op.HAS, List.of()));
        assertThat(parse("EMAIL ends_with \"@Example.com\"")).isEqualTo(new Condition("email", false, Op.ENDS_WITH, List.of("@example.com")));
        assertThat(parse("vip and has(phone)")).isEqualTo(new And(List.of(new Tag("vip"), new Condition("phone", false, Op.HAS, List.of()))));
    }

    @Test
    void quotedValuesKeepSpacesKeywordsAndEscapedQuotes() {
        assertThat(parse("note = \"a and (b) or \\\"c\\\" \\\\ d\"")).isEqualTo(
                new Condition("note", true, Op.EQ, List.of("a and (b) or \"c\" \\ d")));
        assertThat(parse("note = 'it''s'".replace("''", "\\'"))).isEqualTo(new Condition("note", true, Op.EQ, List.of("it's")));
        assertThat(parse("note = \"\"")).isEqualTo(new Condition("note", true, Op.EQ, List.of("")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "vip and               | 8  | expected a tag",
            "vip and or tw         | 9  | unexpected \"or\"",
            "(vip or tw            | 11 | expected \")\"",
            "vip or tw)            | 10 | unexpected \")\"",
            "city = Taipei         | 8  | expected a quoted value",
            "city = \"Taipei       | 8  | unterminated",
            "city in \"a\"         | 9  | after in",
            "city in (\"a\" \"b\") | 14 | \",\" or \")\"",
            "vip # tw              | 5  | unexpected character '#'",
            "tags = \"vip\"        | 1  | bare words",
            "vip and -x            | 9  | invalid tag",
            "ci.ty = \"x\"         | 1  | invalid attribute name",
            "has(\"city\")         | 5  | expected a field or attribute name",
            "not                   | 4  | expected a tag",
            "vip tw                | 5  | expected and, or or the end",
    })
    void errorsNameTheColumn(String text, int column, String reason) {
        assertThatThrownBy(() -> SegmentRule.parse(text.strip()))
                .isInstanceOfSatisfying(InvalidSegmentRuleException.class, e -> {
                    assertThat(e.column()).isEqualTo(column);
                    assertThat(e.getMessage()).startsWith("column " + column + ": ").contains(reason);
                });
    }

    @Test
    void nestingAndSizeAreBounded() {
        assertThatThrownBy(() -> SegmentRule.parse("(".repeat(100) + "vip" + ")".repeat(100)))
                .hasMessageContaining("nested too deeply");
        assertThatThrownBy(() -> SegmentRule.parse("not ".repeat(100) + "vip")).hasMessageContaining("nested too deeply");
        assertThatThrownBy(() -> SegmentRule.parse("a or ".repeat(100) + "b")).hasMessageContaining("too many terms");
        assertThatThrownBy(() -> SegmentRule.parse("a or " + "x".repeat(1000))).hasMessageContaining("at most 1000 characters");
    }

    @Test
    void canonicalTextParsesToTheSameTree() {
        for (String text : List.of("a or b and not c", "(a or b) and not (c and d)", "not not a",
                "city in (\"Taipei\", \"Tai\\\"nan\") or email ends_with \"@x.com\" and has(phone)",
                "not (a or b) and name != \"Ann\"")) {
            SegmentRule rule = SegmentRule.parse(text);
            assertThat(SegmentRule.parse(rule.toString())).as(rule.toString()).isEqualTo(rule);
        }
    }

    @Test
    void evaluationIgnoresCaseOfValuesAndTreatsMissingValuesAsNoMatch() {
        Subject taipei = new Subject(Set.of("vip"), "Ann", "ann@example.com", null, Map.of("city", "Taipei"));
        Subject none = new Subject(Set.of("tw"), "", null, "+886912345678", Map.of());
        assertThat(parse("city = \"TAIPEI\"").matches(taipei)).isTrue();
        assertThat(parse("city != \"taipei\"").matches(taipei)).isFalse();
        assertThat(parse("city != \"taipei\"").matches(none)).as("!= is not =, so it selects those without city").isTrue();
        assertThat(parse("city = \"taipei\"").matches(none)).isFalse();
        assertThat(parse("city in (\"Tainan\", \"taipei\")").matches(taipei)).isTrue();
        assertThat(parse("has(city)").matches(none)).isFalse();
        assertThat(parse("has(name)").matches(none)).as("an empty name is no name").isFalse();
        assertThat(parse("email ends_with \"@EXAMPLE.com\"").matches(taipei)).isTrue();
        assertThat(parse("email ends_with \"@example.com\"").matches(none)).isFalse();
        assertThat(parse("vip or tw and not has(phone)").matches(none)).isFalse();
        assertThat(parse("(vip or tw) and not has(email)").matches(none)).isTrue();
        assertThat(parse("City = \"taipei\"").matches(taipei)).as("attribute names are exact").isFalse();
    }
}
