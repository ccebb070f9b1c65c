package io.herald.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class VariantSplitTest {
    private static final int RECIPIENTS = 10_000;

    @Test
    void tenThousandRecipientsSplitWithinTwoPercentOfTheWeights() {
        for (List<Integer> weights : List.of(List.of(50, 50), List.of(70, 30), List.of(1, 2, 3, 4), List.of(20, 20, 20, 20, 20))) {
            for (long campaign : new long[]{1, 2, 77, 123_456_789}) {
                int[] counts = new int[weights.size()];
                VariantSplit split = new VariantSplit(campaign, weights);
                for (long recipient = 1; recipient <= RECIPIENTS; recipient++) {
                    counts[split.variant(recipient)]++;
                }
                int total = weights.stream().mapToInt(Integer::intValue).sum();
                for (int i = 0; i < weights.size(); i++) {
                    double expected = (double) weights.get(i) / total;
                    assertThat((double) counts[i] / RECIPIENTS).as("campaign %d weights %s variant %d", campaign, weights, i)
                            .isCloseTo(expected, org.assertj.core.data.Offset.offset(0.02));
                }
            }
        }
    }

    @Test
    void theChoiceIsStableAcrossInstancesAsAfterARestart() {
        VariantSplit before = new VariantSplit(42, List.of(30, 70));
        VariantSplit after = new VariantSplit(42, List.of(30, 70));
        for (long recipient = 1; recipient <= RECIPIENTS; recipient++) {
            assertThat(after.variant(recipient)).isEqualTo(before.variant(recipient));
            assertThat(after.inTestGroup(recipient, 20)).isEqualTo(before.inTestGroup(recipient, 20));
        }
        // pinned values: a change of the hash would move recipients to another variant mid-campaign (after an upgrade)
        assertThat(new int[]{before.variant(1), before.variant(2), before.variant(3), before.variant(1000)})
                .containsExactly(pinned(42, new long[]{1, 2, 3, 1000}));
    }

    @Test
    void differentCampaignsSplitTheSameRecipientsDifferently() {
        VariantSplit one = new VariantSplit(1, List.of(50, 50));
        VariantSplit two = new VariantSplit(2, List.of(50, 50));
        int same = 0;
        for (long recipient = 1; recipient <= RECIPIENTS; recipient++) {
            same += one.variant(recipient) == two.variant(recipient) ? 1 : 0;
        }
        assertThat((double) same / RECIPIENTS).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.03));
    }

    @Test
    void theTestGroupHoldsItsShareAndEachVariantInItsWeightIndependently() {
        VariantSplit split = new VariantSplit(9, List.of(25, 75));
        int inTest = 0;
        int[] testVariants = new int[2];
        for (long recipient = 1; recipient <= 100_000; recipient++) {
            if (split.inTestGroup(recipient, 20)) {
                inTest++;
                testVariants[split.variant(recipient)]++;
            }
        }
        assertThat(inTest / 100_000.0).isCloseTo(0.20, org.assertj.core.data.Offset.offset(0.01));
        assertThat((double) testVariants[0] / inTest).isCloseTo(0.25, org.assertj.core.data.Offset.offset(0.02));
        assertThat(split.inTestGroup(5, 0)).isFalse();
        assertThat(split.inTestGroup(5, 100)).isTrue();
    }

    /** The same computation written out independently of the class (SplitMix64 finaliser over the weights). */
    private static int[] pinned(long campaign, long[] recipients) {
        int[] out = new int[recipients.length];
        for (int i = 0; i < recipients.length; i++) {
            long z = campaign * 0x9E3779B97F4A7C15L + recipients[i];
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z = z ^ (z >>> 31);
            out[i] = Long.remainderUnsigned(z, 100) < 30 ? 0 : 1;
        }
        return out;
    }
}
