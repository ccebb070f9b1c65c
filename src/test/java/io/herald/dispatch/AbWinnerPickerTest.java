package io.herald.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.herald.campaign.Variant;

import org.junit.jupiter.api.Test;

class AbWinnerPickerTest {
    private static final List<Variant> VARIANTS = List.of(new Variant(0, "A", "s", "t", 50), new Variant(1, "B", "s", "t", 50),
            new Variant(2, "C", "s", "t", 50));

    private static MessageLedger.VariantCounts counts(long sent, long opens, long clicks) {
        return new MessageLedger.VariantCounts(0, sent, 0, 0, 0, opens, clicks);
    }

    @Test
    void theHighestRatePerSentMessageWinsNotTheHighestCount() {
        var decision = AbWinnerPicker.decide(VARIANTS, "clicks",
                Map.of(0, counts(100, 50, 8), 1, counts(10, 0, 2), 2, counts(100, 0, 12)));
        assertThat(decision.winner()).isEqualTo(1);
        assertThat(decision.detail()).isEqualTo("winner B (clicks per sent: A 8/100, B 2/10, C 12/100)");
    }

    @Test
    void opensAreTheMetricWhenAsked() {
        var decision = AbWinnerPicker.decide(VARIANTS, "opens", Map.of(0, counts(100, 10, 50), 1, counts(100, 30, 0)));
        assertThat(decision.winner()).isEqualTo(1);
    }

    @Test
    void aTieGoesToTheFirstVariantAndNothingSentIsATie() {
        assertThat(AbWinnerPicker.decide(VARIANTS, "clicks", Map.of(0, counts(100, 0, 5), 1, counts(100, 0, 5), 2,
                counts(100, 0, 5))).winner()).isZero();
        assertThat(AbWinnerPicker.decide(VARIANTS, "clicks", Map.of()).winner()).isZero();
        assertThat(AbWinnerPicker.decide(VARIANTS, "clicks", Map.of(1, counts(100, 0, 5), 2, counts(100, 0, 5))).winner())
                .isEqualTo(1);
    }
}
