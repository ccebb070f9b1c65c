package io.herald.delivery;

import java.time.Duration;
import java.util.Map;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.herald.Channel;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Settings of the installation-wide channel caps: validation, binding, and the shape of the bucket they make. */
class ChannelRateCapTest {

    @Test
    void ratePerSecondIsOneTokenAtATimeRefilledAtTheRate() {
        BucketConfiguration configuration = new ChannelRateCap(50, null, 0).bucketConfiguration();
        assertThat(configuration.getBandwidths()).hasSize(1);
        Bandwidth rate = configuration.getBandwidths()[0];
        assertThat(rate.getCapacity()).isEqualTo(1);
        assertThat(rate.getRefillTokens()).isEqualTo(50);
        assertThat(rate.getRefillPeriodNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());
        assertThat(rate.isRefillIntervally()).isFalse();
    }

    @Test
    void windowIsRefilledWholeAtEveryMultipleOfTheWindowSinceTheEpoch() {
        BucketConfiguration configuration = new ChannelRateCap(0, Duration.ofHours(1), 10_000).bucketConfiguration();
        assertThat(configuration.getBandwidths()).hasSize(1);
        Bandwidth window = configuration.getBandwidths()[0];
        assertThat(window.getCapacity()).isEqualTo(10_000);
        assertThat(window.getRefillTokens()).isEqualTo(10_000);
        assertThat(window.getRefillPeriodNanos()).isEqualTo(Duration.ofHours(1).toNanos());
        assertThat(window.isRefillIntervally()).isTrue();
        assertThat(window.isIntervallyAligned()).isTrue();
        assertThat(window.getTimeOfFirstRefillMillis()).isEqualTo(Duration.ofHours(1).toMillis());
    }

    @Test
    void bothLimitsTogether() {
        ChannelRateCap cap = new ChannelRateCap(14, Duration.ofDays(1), 50_000);
        assertThat(cap.bucketConfiguration().getBandwidths()).hasSize(2);
        assertThat(cap.fingerprint()).isEqualTo("14/s,50000/PT24H");
        assertThat(new ChannelRateCap(50, null, 0).fingerprint()).isEqualTo("50/s");
        assertThat(new ChannelRateCap(0, Duration.ofSeconds(5), 20).fingerprint()).isEqualTo("20/PT5S");
    }

    @Test
    void rateCapSpacesCallsSoNoSecondHoldsMoreThanTheRate() {
        ManualClock clock = new ManualClock();
        Bucket bucket = localBucket(new ChannelRateCap(50, null, 0), clock);
        // Greedy takers at every millisecond for 3 s: at most 50 in any one-second span, 150 in all.
        int[] takenAt = new int[3_000];
        int taken = 0;
        for (int ms = 0; ms < 3_000; ms++) {
            clock.millis = ms;
            while (bucket.tryConsume(1)) {
                takenAt[taken++] = ms;
            }
        }
        assertThat(taken).isBetween(150, 151);
        for (int i = 0; i + 50 < taken; i++) {
            assertThat(takenAt[i + 50] - takenAt[i]).as("51 calls span at least a second").isGreaterThanOrEqualTo(1_000);
        }
    }

    @Test
    void windowCapLetsMaxThroughPerAlignedWindow() {
        ManualClock clock = new ManualClock();
        clock.millis = 1_000_000_003_000L; // 3 s into a 5 s window of the epoch grid
        Bucket bucket = localBucket(new ChannelRateCap(0, Duration.ofSeconds(5), 20), clock);
        assertThat(count(bucket, 100)).as("first (partial) window").isEqualTo(20);
        clock.millis += 1_999;
        assertThat(count(bucket, 100)).as("still the first window").isZero();
        clock.millis += 1; // the window boundary
        assertThat(count(bucket, 100)).as("second window").isEqualTo(20);
        clock.millis += 4_999;
        assertThat(count(bucket, 100)).isZero();
        assertThat(bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill()).isEqualTo(Duration.ofMillis(1).toNanos());
    }

    @Test
    void aProcessHoldsFewReservedTurnsAtOnce() {
        assertThat(ChannelRateCaps.turnTakers(0)).isEqualTo(1);
        assertThat(ChannelRateCaps.turnTakers(50)).isEqualTo(1);
        assertThat(ChannelRateCaps.turnTakers(199)).isEqualTo(1);
        assertThat(ChannelRateCaps.turnTakers(1_000)).isEqualTo(10);
    }

    @Test
    void rejectsNegativeAndHalfSetValues() {
        assertThatThrownBy(() -> new ChannelRateCap(-1, null, 0)).hasMessageContaining("rate-per-sec must be >= 0");
        assertThatThrownBy(() -> new ChannelRateCap(0, Duration.ofHours(1), -5)).hasMessageContaining("max-per-window must be >= 0");
        assertThatThrownBy(() -> new ChannelRateCap(0, Duration.ofHours(1), 0))
                .hasMessageContaining("window is set (PT1H) but max-per-window is not");
        assertThatThrownBy(() -> new ChannelRateCap(0, null, 100)).hasMessageContaining("max-per-window is set (100) but window is not");
        assertThatThrownBy(() -> new ChannelRateCap(0, Duration.ofMillis(500), 10)).hasMessageContaining("window must be at least 1s");
        assertThat(new ChannelRateCap(0, null, 0).enabled()).isFalse();
        assertThatThrownBy(() -> ChannelRateCap.NONE.bucketConfiguration()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void bindsPerChannelNextToTheProviderSetting() {
        Map<Channel, ChannelRateCap> caps = ChannelRateCapSettings.read(binder(Map.of(
                "herald.channels.email.provider", "smtp",
                "herald.channels.email.rate-per-sec", "14",
                "herald.channels.email.window", "1h",
                "herald.channels.email.max-per-window", "10000",
                "herald.channels.sms.provider", "webhook")));
        assertThat(caps.get(Channel.EMAIL)).isEqualTo(new ChannelRateCap(14, Duration.ofHours(1), 10_000));
        assertThat(caps.get(Channel.SMS)).isEqualTo(ChannelRateCap.NONE);
        assertThat(new ChannelRateCapSettings(caps).anyEnabled()).isTrue();
        assertThat(new ChannelRateCapSettings(Map.of()).anyEnabled()).isFalse();
        assertThat(new ChannelRateCapSettings(Map.of()).cap(Channel.SMS)).isEqualTo(ChannelRateCap.NONE);
    }

    @Test
    void noChannelSettingsAtAllMeansNoCaps() {
        Map<Channel, ChannelRateCap> caps = ChannelRateCapSettings.read(binder(Map.of()));
        assertThat(caps).containsOnly(Map.entry(Channel.EMAIL, ChannelRateCap.NONE), Map.entry(Channel.SMS, ChannelRateCap.NONE));
    }

    @Test
    void startUpMessagesNameTheProperty() {
        assertThatThrownBy(() -> ChannelRateCapSettings.read(binder(Map.of("herald.channels.sms.rate-per-sec", "-3"))))
                .hasMessageContaining("herald.channels.sms")
                .hasMessageContaining("rate-per-sec must be >= 0");
        assertThatThrownBy(() -> ChannelRateCapSettings.read(binder(Map.of("herald.channels.email.window", "1h"))))
                .hasMessageContaining("herald.channels.email")
                .hasMessageContaining("max-per-window is not");
        assertThatThrownBy(() -> ChannelRateCapSettings.read(binder(Map.of("herald.channels.sms.rate-per-sec", "fast"))))
                .hasMessageContaining("herald.channels.sms.rate-per-sec");
        assertThatThrownBy(() -> ChannelRateCapSettings.read(binder(Map.of("herald.channels.fax.rate-per-sec", "5"))))
                .hasMessageContaining("herald.channels.fax sets a rate cap, but fax is no channel");
    }

    private static Binder binder(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties));
    }

    private static Bucket localBucket(ChannelRateCap cap, ManualClock clock) {
        var builder = Bucket.builder();
        for (Bandwidth bandwidth : cap.bucketConfiguration().getBandwidths()) {
            builder.addLimit(bandwidth);
        }
        return builder.withCustomTimePrecision(clock).build();
    }

    private static int count(Bucket bucket, int max) {
        int n = 0;
        while (n < max && bucket.tryConsume(1)) {
            n++;
        }
        return n;
    }

    /** A wall clock the test moves by hand. */
    private static final class ManualClock implements TimeMeter {
        long millis;

        @Override
        public long currentTimeNanos() {
            return millis * 1_000_000;
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }
}
