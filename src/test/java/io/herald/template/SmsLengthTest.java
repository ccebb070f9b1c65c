package io.herald.template;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmsLengthTest {
    @Test
    void gsmTextUpTo160SeptetsIsOneSegmentThen153PerPart() {
        assertThat(SmsLength.of("a".repeat(160))).isEqualTo(new SmsLength(SmsLength.Encoding.GSM_7, 160, 1));
        assertThat(SmsLength.of("a".repeat(161))).isEqualTo(new SmsLength(SmsLength.Encoding.GSM_7, 161, 2));
        assertThat(SmsLength.of("a".repeat(306)).segments()).isEqualTo(2);
        assertThat(SmsLength.of("a".repeat(307)).segments()).isEqualTo(3);
        assertThat(SmsLength.of("").segments()).isEqualTo(1);
    }

    @Test
    void accentsOfTheGsmAlphabetStayGsmAndExtensionCharactersTakeTwoSeptets() {
        assertThat(SmsLength.of("Hej Åsa, på återseende! ¿Qué tal? ñ ü é").encoding()).isEqualTo(SmsLength.Encoding.GSM_7);
        assertThat(SmsLength.of("€10 [sale] {now} ~ ^ | \\")).isEqualTo(new SmsLength(SmsLength.Encoding.GSM_7, 33, 1));
        // 159 plain + one € = 161 septets: two parts.
        assertThat(SmsLength.of("a".repeat(159) + "€").segments()).isEqualTo(2);
    }

    @Test
    void anExtensionCharacterIsNeverSplitAcrossParts() {
        // 152 septets, then € (2 septets) would straddle the 153 boundary: it opens part two.
        SmsLength length = SmsLength.of("a".repeat(152) + "€" + "a".repeat(152));
        assertThat(length.units()).isEqualTo(306);
        assertThat(length.segments()).isEqualTo(3);
    }

    @Test
    void anyCharacterOutsideGsmMakesItUcs2With70Then67UnitsAndEmojiTakeTwo() {
        // Seed 004's template: the emoji makes it UCS-2.
        SmsLength seed = SmsLength.of("Hi Ada, Special offer just for you! 🎉");
        assertThat(seed.encoding()).isEqualTo(SmsLength.Encoding.UCS_2);
        assertThat(seed.units()).isEqualTo(38);
        assertThat(seed.segments()).isEqualTo(1);
        assertThat(SmsLength.of("ç" + "a".repeat(69)).segments()).isEqualTo(1); // ç is not GSM (Ç is)
        assertThat(SmsLength.of("ç" + "a".repeat(70)).segments()).isEqualTo(2);
        assertThat(SmsLength.of("你好".repeat(67)).segments()).isEqualTo(2);
        assertThat(SmsLength.of("你好".repeat(67)).units()).isEqualTo(134);
        // 66 units then an emoji (2 units) does not fit in part one's 67: the pair moves whole.
        SmsLength emoji = SmsLength.of("ç".repeat(66) + "😀" + "ç".repeat(10));
        assertThat(emoji.units()).isEqualTo(78);
        assertThat(emoji.segments()).isEqualTo(2);
        assertThat(SmsLength.Encoding.UCS_2.label()).isEqualTo("UCS-2");
    }
}
