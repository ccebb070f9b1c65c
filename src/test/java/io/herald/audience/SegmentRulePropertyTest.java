package io.herald.audience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Any text is a segment rule in canonical form or an {@link InvalidSegmentRuleException} with a short reason. */
class SegmentRulePropertyTest {

    @Property(tries = 1000)
    void anyTextIsACanonicalRuleOrAShortRejection(@ForAll("ruleText") String text) {
        SegmentRule rule;
        try {
            rule = SegmentRule.parse(text);
        } catch (InvalidSegmentRuleException e) {
            assertThat(e.getMessage()).isNotBlank().hasSizeLessThan(300);
            return;
        }
        assertThat(rule.tags()).isNotEmpty().doesNotHaveDuplicates()
                .allSatisfy(tag -> assertThat(tag).matches(SegmentRule.TAG.pattern()));
        assertThat(SegmentRule.parse(rule.toString())).as("canonical form parses to the same rule").isEqualTo(rule);
        assertThat(SegmentRule.parse(rule.toString().toUpperCase(java.util.Locale.ROOT).replace(",", " , ")))
                .as("case and spaces around tags do not matter").isEqualTo(rule);
    }

    @Property(tries = 300)
    void anyUnicodeTextIsARuleOrARejection(@ForAll String text) {
        try {
            assertThat(SegmentRule.parse(text).tags()).isNotEmpty();
        } catch (InvalidSegmentRuleException e) {
            assertThat(e.getMessage()).isNotBlank().hasSizeLessThan(300);
        }
    }

    @Property(tries = 300)
    void normalisedTagsAreFixedPoints(@ForAll("ruleText") String text) {
        try {
            String tag = SegmentRule.normalizeTag(text);
            assertThat(SegmentRule.normalizeTag(tag)).isEqualTo(tag);
        } catch (InvalidSegmentRuleException e) {
            assertThat(e.getMessage()).hasSizeLessThan(300);
        }
    }

    @Example
    void aHugeRuleIsNotEchoedWholeInTheReason() {
        String huge = "vip,".repeat(100_000) + ",";
        try {
            SegmentRule.parse(huge);
        } catch (InvalidSegmentRuleException e) {
            assertThat(e.getMessage()).contains("empty tag").hasSizeLessThan(300);
            return;
        }
        throw new AssertionError("an empty tag must be rejected");
    }

    /** Tag-like text: valid tags, separators, spaces, case, look-alike Unicode (Kelvin sign, dotted I) and junk. */
    @Provide
    Arbitrary<String> ruleText() {
        Arbitrary<String> tag = Arbitraries.oneOf(
                Arbitraries.strings().withChars("abcXYZ019_.:-").ofMinLength(1).ofMaxLength(70),
                Arbitraries.of("vip", "TW", "camp-1000:list_a.b", "\u212Aelvin", "\u0130stanbul", "x".repeat(64), "x".repeat(65)));
        Arbitrary<String> separator = Arbitraries.of(",", ",", " , ", ",,", ";", "|", "\t,", ", ", "\u00a0,");
        Arbitrary<String> joined = Combinators.combine(tag.list().ofMinSize(1).ofMaxSize(6), separator)
                .as((tags, sep) -> String.join(sep, tags));
        Arbitrary<String> junk = Arbitraries.strings().withChars("ab, \t\n\r\u0000!\"'{}%*").ofMaxLength(30);
        return Arbitraries.oneOf(joined, junk, Arbitraries.of("", " ", ",", "vip,", ",vip", "vip,,tw")).injectNull(0.01);
    }

    @Example
    void lookAlikeCharactersNormaliseToPlainTagsOrAreRejected() {
        assertThat(SegmentRule.parse("\u212Aelvin").tags()).isEqualTo(List.of("kelvin"));
        try {
            SegmentRule.parse("\u0130stanbul");
            throw new AssertionError("a dotted capital I lower-cases to i + a combining dot, which is not a tag character");
        } catch (InvalidSegmentRuleException expected) {
            assertThat(expected.getMessage()).contains("invalid tag");
        }
    }
}
