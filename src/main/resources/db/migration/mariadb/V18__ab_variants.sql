-- A/B variants (issue 15): a campaign's variants, the automatic-winner settings and phase, each message's variant
-- (its position, null for a campaign without variants) and the campaign timeline.
CREATE TABLE campaign_variants (
    campaign_id BIGINT         NOT NULL,
    position    INT            NOT NULL,
    name        VARCHAR(50)    NOT NULL,
    subject     VARCHAR(1000),
    template    MEDIUMTEXT NOT NULL,
    weight      INT            NOT NULL,
    PRIMARY KEY (campaign_id, position)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- ab_share null: no automatic winner. ab_phase TEST (variants to the test group), WAITING (until ab_wait_until),
-- WINNER (the winner, variant position ab_winner, to the rest).
ALTER TABLE campaigns ADD COLUMN ab_share INT;
ALTER TABLE campaigns ADD COLUMN ab_metric VARCHAR(8);
ALTER TABLE campaigns ADD COLUMN ab_wait_ms BIGINT;
ALTER TABLE campaigns ADD COLUMN ab_phase VARCHAR(8);
ALTER TABLE campaigns ADD COLUMN ab_wait_until BIGINT;
ALTER TABLE campaigns ADD COLUMN ab_winner INT;

ALTER TABLE messages ADD COLUMN variant SMALLINT;

CREATE TABLE campaign_timeline (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    campaign_id BIGINT       NOT NULL,
    at_ms       BIGINT       NOT NULL,
    event       VARCHAR(32)  NOT NULL,
    detail      VARCHAR(500)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX campaign_timeline_campaign_idx ON campaign_timeline (campaign_id, id);
