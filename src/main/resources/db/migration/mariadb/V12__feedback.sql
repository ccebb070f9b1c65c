-- What comes back after "accepted" (issue 12): delivery receipts, bounces, complaints, the suppression list.

-- The provider's id for the message (e.g. the SMS gateway's sid), its SMS segments, and the latest report about it:
-- sent / delivered / undelivered / failed (SMS receipts), soft_bounced / bounced / complained (email feedback).
ALTER TABLE messages ADD COLUMN provider_message_id VARCHAR(100);
ALTER TABLE messages ADD COLUMN segments INT;
ALTER TABLE messages ADD COLUMN sms_encoding VARCHAR(8);
ALTER TABLE messages ADD COLUMN delivery_status VARCHAR(16);
ALTER TABLE messages ADD COLUMN delivered_at BIGINT;
ALTER TABLE messages ADD COLUMN delivery_error VARCHAR(500);

ALTER TABLE campaign_stats ADD COLUMN segments BIGINT NOT NULL DEFAULT 0;
ALTER TABLE campaign_stats ADD COLUMN delivered BIGINT NOT NULL DEFAULT 0;
ALTER TABLE campaign_stats ADD COLUMN undelivered BIGINT NOT NULL DEFAULT 0;
ALTER TABLE campaign_stats ADD COLUMN bounced BIGINT NOT NULL DEFAULT 0;
ALTER TABLE campaign_stats ADD COLUMN complaints BIGINT NOT NULL DEFAULT 0;

-- Why a recipient is no longer ACTIVE (e.g. "complaint", "hard bounce: 550 5.1.1 user unknown").
ALTER TABLE recipients ADD COLUMN status_reason VARCHAR(500);

-- Every bounce and complaint reported, by the generic webhook or Amazon SES. event_key de-duplicates a report
-- delivered twice (SNS redelivers); soft bounces are counted per recipient over a window.
CREATE TABLE bounces (
    id            BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    recipient_id  BIGINT,
    address       VARCHAR(320) NOT NULL,
    bounce_type   VARCHAR(16)  NOT NULL,
    campaign_id   BIGINT,
    message_id    BIGINT,
    reason        VARCHAR(500),
    source        VARCHAR(16)  NOT NULL,
    event_key     VARCHAR(300),
    created_at    BIGINT       NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE UNIQUE INDEX bounces_event_key_uq ON bounces (event_key);
CREATE INDEX bounces_recipient_idx ON bounces (recipient_id, bounce_type, created_at);

-- Addresses (lower-case email or E.164 phone) that are never messaged or re-imported.
CREATE TABLE suppressions (
    id            BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    address       VARCHAR(320) NOT NULL,
    channel       VARCHAR(8)   NOT NULL,
    reason        VARCHAR(16)  NOT NULL,
    detail        VARCHAR(500),
    recipient_id  BIGINT,
    campaign_id   BIGINT,
    created_by    VARCHAR(200) NOT NULL,
    created_at    BIGINT       NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE UNIQUE INDEX suppressions_address_uq ON suppressions (address);
CREATE INDEX suppressions_reason_idx ON suppressions (reason, id);
