package io.herald.campaign;

import java.util.List;

/**
 * Which variant a recipient gets and whether it is in an A/B test's test group, from the campaign and recipient ids
 * alone: the same answer in every process and after any restart, with no state and no query. Two independent
 * 64-bit mixes (SplitMix64's finaliser) of the pair: one is mapped onto the cumulative weights, the other decides
 * the test group, so the test group holds each variant in its weight's proportion.
 */
public final class VariantSplit {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final long TEST_SALT = 0xD1B54A32D192ED03L;

    private final long campaignId;
    private final int[] cumulative;
    private final int total;

    public VariantSplit(long campaignId, List<Integer> weights) {
        this.campaignId = campaignId;
        this.cumulative = new int[weights.size()];
        int sum = 0;
        for (int i = 0; i < weights.size(); i++) {
            sum += weights.get(i);
            cumulative[i] = sum;
        }
        this.total = sum;
    }

    public static VariantSplit of(Campaign campaign) {
        return new VariantSplit(campaign.id(), campaign.variants().stream().map(Variant::weight).toList());
    }

    /** The variant position of the recipient (0 when the campaign has no variants). */
    public int variant(long recipientId) {
        if (total == 0) {
            return 0;
        }
        long slot = Long.remainderUnsigned(mix(campaignId * GOLDEN + recipientId), total);
        int i = 0;
        while (slot >= cumulative[i]) {
            i++;
        }
        return i;
    }

    /** Whether the recipient is in the test group of a test on {@code sharePercent} percent of the segment. */
    public boolean inTestGroup(long recipientId, int sharePercent) {
        return Long.remainderUnsigned(mix((campaignId ^ TEST_SALT) * GOLDEN + mix(recipientId)), 100) < sharePercent;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
