package io.herald.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeliveryStatusTest {
    @Test
    void mapsGatewayStatusesAndSkipsInterimOnes() {
        assertThat(DeliveryStatus.fromSmsStatus("delivered")).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(DeliveryStatus.fromSmsStatus("Undelivered")).isEqualTo(DeliveryStatus.UNDELIVERED);
        assertThat(DeliveryStatus.fromSmsStatus("failed")).isEqualTo(DeliveryStatus.FAILED);
        assertThat(DeliveryStatus.fromSmsStatus("sent")).isEqualTo(DeliveryStatus.SENT);
        assertThat(DeliveryStatus.fromSmsStatus("queued")).isNull();
        assertThat(DeliveryStatus.fromSmsStatus("sending")).isNull();
        assertThat(DeliveryStatus.fromSmsStatus(null)).isNull();
    }

    @Test
    void aLateSentReceiptDoesNotUndoDeliveredAndRepeatsChangeNothing() {
        assertThat(DeliveryStatus.SENT.follows(null)).isTrue();
        assertThat(DeliveryStatus.DELIVERED.follows(DeliveryStatus.SENT)).isTrue();
        assertThat(DeliveryStatus.SENT.follows(DeliveryStatus.DELIVERED)).isFalse();
        assertThat(DeliveryStatus.DELIVERED.follows(DeliveryStatus.DELIVERED)).isFalse();
        assertThat(DeliveryStatus.UNDELIVERED.follows(DeliveryStatus.DELIVERED)).isFalse();
        assertThat(DeliveryStatus.DELIVERED.counts(DeliveryStatus.SENT)).containsExactly(1, 0, 0, 0);
        assertThat(DeliveryStatus.FAILED.counts(null)).containsExactly(0, 1, 0, 0);
    }

    @Test
    void aMessageCountsAsBouncedOnceAndAComplaintCanFollowDelivery() {
        assertThat(DeliveryStatus.SOFT_BOUNCED.counts(null)).containsExactly(0, 0, 1, 0);
        assertThat(DeliveryStatus.BOUNCED.follows(DeliveryStatus.SOFT_BOUNCED)).isTrue();
        assertThat(DeliveryStatus.BOUNCED.counts(DeliveryStatus.SOFT_BOUNCED)).containsExactly(0, 0, 0, 0);
        assertThat(DeliveryStatus.SOFT_BOUNCED.follows(DeliveryStatus.BOUNCED)).isFalse();
        assertThat(DeliveryStatus.COMPLAINED.follows(DeliveryStatus.DELIVERED)).isTrue();
        assertThat(DeliveryStatus.COMPLAINED.follows(DeliveryStatus.COMPLAINED)).isFalse();
        assertThat(DeliveryStatus.COMPLAINED.counts(DeliveryStatus.DELIVERED)).containsExactly(0, 0, 0, 1);
    }
}
