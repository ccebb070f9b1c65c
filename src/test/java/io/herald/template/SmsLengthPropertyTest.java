package io.herald.template;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Properties of SMS measuring that must hold for any text a template can render. */
class SmsLengthPropertyTest {

    @Property(tries = 500)
    void alwaysAtLeastOneSegmentAndUnitsCoverEveryCharacter(@ForAll("smsText") String text) {
        SmsLength length = SmsLength.of(text);
        assertThat(length.segments()).isGreaterThanOrEqualTo(1);
        assertThat(length.units()).isGreaterThanOrEqualTo(text.codePointCount(0, text.length()));
        int single = length.encoding() == SmsLength.Encoding.GSM_7 ? 160 : 70;
        int perPart = length.encoding() == SmsLength.Encoding.GSM_7 ? 153 : 67;
        if (length.units() <= single) {
            assertThat(length.segments()).isEqualTo(1);
        } else {
            // whole characters per part: never fewer parts than the units need, at most one extra per part boundary
            assertThat(length.segments()).isGreaterThanOrEqualTo((length.units() + perPart - 1) / perPart);
            assertThat(length.segments()).isLessThanOrEqualTo((length.units() + perPart / 2 - 1) / (perPart / 2));
        }
    }

    @Property(tries = 500)
    void neverFewerSegmentsForALongerText(@ForAll("smsText") String text, @ForAll("smsText") String more) {
        assertThat(SmsLength.of(text + more).segments()).isGreaterThanOrEqualTo(SmsLength.of(text).segments());
    }

    @Property(tries = 300)
    void everyPrefixNeedsAtMostAsManySegments(@ForAll("smsText") String text, @ForAll @IntRange(min = 0, max = 2000) int cut) {
        int end = Math.min(cut, text.length());
        assertThat(SmsLength.of(text.substring(0, end)).segments()).isLessThanOrEqualTo(SmsLength.of(text).segments());
    }

    @Property(tries = 200)
    void nullIsAnEmptyMessage(@ForAll @From("smsText") String ignored) {
        assertThat(SmsLength.of(null)).isEqualTo(SmsLength.of(""));
    }

    /** Mostly GSM-7 text (plain, accents, two-septet extension characters) with some UCS-2: accents, emoji, lone surrogates. */
    @Provide
    Arbitrary<String> smsText() {
        Arbitrary<Character> gsm = Arbitraries.of('a', 'Z', '0', ' ', '\n', 'é', 'Ä', '@', '£', '_', 'ß');
        Arbitrary<Character> extension = Arbitraries.of('€', '[', ']', '{', '}', '~', '^', '|', '\\', '\f');
        Arbitrary<Character> other = Arbitraries.of('ç', 'ł', '漢', 'ж', '\u0301', '\uD83C', '\uDF89', '\u00a0');
        Arbitrary<String> gsmText = Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(8, gsm), net.jqwik.api.Tuple.of(2, extension))
                .list().ofMaxSize(700).map(SmsLengthPropertyTest::join);
        Arbitrary<String> mixed = Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(6, gsm), net.jqwik.api.Tuple.of(2, extension), net.jqwik.api.Tuple.of(2, other))
                .list().ofMaxSize(400).map(SmsLengthPropertyTest::join);
        Arbitrary<String> emoji = Arbitraries.of("🎉", "👍🏽", "a", "é", "€").list().ofMaxSize(200).map(l -> String.join("", l));
        return Arbitraries.oneOf(gsmText, mixed, emoji, Arbitraries.strings().ofMaxLength(500));
    }

    private static String join(java.util.List<Character> chars) {
        StringBuilder s = new StringBuilder(chars.size());
        chars.forEach(s::append);
        return s.toString();
    }
}
