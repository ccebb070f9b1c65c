-- Click and open tracking (issue 15). Campaigns created before tracking existed are not tracked; new email
-- campaigns take herald.tracking.clicks / herald.tracking.opens unless they say otherwise.
ALTER TABLE campaigns ADD COLUMN track_clicks BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE campaigns ADD COLUMN track_opens BOOLEAN NOT NULL DEFAULT FALSE;

-- Unique opens and clicks (recipients who opened / clicked at least once), moved by the rows the event writer inserts.
ALTER TABLE campaign_stats ADD COLUMN opens BIGINT NOT NULL DEFAULT 0;
ALTER TABLE campaign_stats ADD COLUMN clicks BIGINT NOT NULL DEFAULT 0;

-- The tracked links of a campaign's HTML body, numbered in the order they appear; a click token names the message
-- and the index, so no row per message is needed to find the original URL.
CREATE TABLE tracking_links (
    campaign_id   BIGINT        NOT NULL,
    link_index    INT           NOT NULL,
    url           VARCHAR(2048) NOT NULL,
    clicks        BIGINT        NOT NULL DEFAULT 0,
    unique_clicks BIGINT        NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, link_index)
);

-- The first open (link_index -1), first click on any link (-2) and first click per link (>= 0) of each message:
-- the key makes every one count once. The client IP is stored only with herald.tracking.store-ip=true.
CREATE TABLE tracking_events (
    campaign_id BIGINT       NOT NULL,
    message_id  BIGINT       NOT NULL,
    link_index  INT          NOT NULL,
    at_ms       BIGINT       NOT NULL,
    ip          VARCHAR(45),
    user_agent  VARCHAR(200),
    PRIMARY KEY (campaign_id, message_id, link_index)
);

-- Unique opens and clicks per campaign and minute (when each recipient first opened / clicked), for the curves.
CREATE TABLE tracking_minutes (
    campaign_id  BIGINT NOT NULL,
    epoch_minute BIGINT NOT NULL,
    opens        BIGINT NOT NULL DEFAULT 0,
    clicks       BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, epoch_minute)
);
