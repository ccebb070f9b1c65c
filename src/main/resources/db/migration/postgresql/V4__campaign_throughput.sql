-- Messages sent and failed per campaign per second, added by each worker about once a second (so the console can draw a
-- campaign's throughput after a reload without counting message rows).
CREATE TABLE campaign_throughput (
    campaign_id  BIGINT NOT NULL,
    epoch_second BIGINT NOT NULL,
    sent         BIGINT NOT NULL DEFAULT 0,
    failed       BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, epoch_second)
);
