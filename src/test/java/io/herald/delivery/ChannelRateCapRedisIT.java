package io.herald.delivery;

import io.herald.testsupport.ExternalService;

/** The rate-cap test with the buckets in Redis (Bucket4j with Lettuce, herald.rate-limit.store=redis). */
class ChannelRateCapRedisIT extends AbstractChannelRateCapIT {
    ChannelRateCapRedisIT() {
        super("redis");
    }

    @Override
    void requireStore() {
        ExternalService.require("Redis", 6379);
    }
}
