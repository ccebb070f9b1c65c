-- Channels and email (issue 11). Campaigns created before channels existed were plain-text messages.
ALTER TABLE campaigns ADD COLUMN channel VARCHAR(8) NOT NULL DEFAULT 'email';
ALTER TABLE campaigns ADD COLUMN subject VARCHAR(1000);
ALTER TABLE campaigns ADD COLUMN content_type VARCHAR(8) NOT NULL DEFAULT 'text';
ALTER TABLE campaigns ADD COLUMN text_template TEXT;
ALTER TABLE campaigns ADD COLUMN from_address VARCHAR(320);
ALTER TABLE campaigns ADD COLUMN reply_to VARCHAR(320);

-- Recipients who left through this campaign's unsubscribe links.
ALTER TABLE campaign_stats ADD COLUMN unsubscribed BIGINT NOT NULL DEFAULT 0;

-- Installation-wide settings that every process must share, e.g. the key that signs unsubscribe links.
CREATE TABLE herald_settings (
    name        VARCHAR(64)  NOT NULL PRIMARY KEY,
    setting_value VARCHAR(500) NOT NULL,
    created_at  BIGINT       NOT NULL
);
