-- Herald schema (MariaDB / MySQL). Times are epoch milliseconds (BIGINT), as on every database.

CREATE TABLE recipients (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    name        VARCHAR(200)  NOT NULL,
    email       VARCHAR(320),
    phone       VARCHAR(32),
    tags        VARCHAR(2000) NOT NULL DEFAULT '',
    attributes  TEXT          NOT NULL,
    status      VARCHAR(16)   NOT NULL DEFAULT 'ACTIVE',
    created_at  BIGINT        NOT NULL,
    updated_at  BIGINT        NOT NULL,
    UNIQUE KEY recipients_email_uq (email),
    UNIQUE KEY recipients_phone_uq (phone)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE recipient_tags (
    recipient_id BIGINT      NOT NULL,
    tag          VARCHAR(64) NOT NULL,
    PRIMARY KEY (tag, recipient_id),
    KEY recipient_tags_recipient_idx (recipient_id, tag)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE campaigns (
    id            BIGINT AUTO_INCREMENT PRIMARY KEY,
    name          VARCHAR(200)  NOT NULL,
    template      TEXT          NOT NULL,
    segment_rule  VARCHAR(1000) NOT NULL,
    status        VARCHAR(16)   NOT NULL,
    external_id   BIGINT,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    scheduled_at  BIGINT,
    started_at    BIGINT,
    completed_at  BIGINT,
    UNIQUE KEY campaigns_external_id_uq (external_id),
    KEY campaigns_status_idx (status, scheduled_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE dispatch_runs (
    campaign_id      BIGINT PRIMARY KEY,
    segment_rule     VARCHAR(1000) NOT NULL,
    dispatch_cursor  BIGINT  NOT NULL DEFAULT 0,
    published_cursor BIGINT  NOT NULL DEFAULT 0,
    done             BOOLEAN NOT NULL DEFAULT FALSE,
    owner            VARCHAR(100),
    lease_until      BIGINT  NOT NULL DEFAULT 0,
    created_at       BIGINT  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Messages are hash-partitioned by campaign into 8 partitions (seed 004 sharded them into 8 tables).
-- MariaDB requires the partition key in every unique key, hence (id, campaign_id).
CREATE TABLE messages (
    id              BIGINT      NOT NULL AUTO_INCREMENT,
    campaign_id     BIGINT      NOT NULL,
    recipient_id    BIGINT      NOT NULL,
    status          VARCHAR(12) NOT NULL,
    attempts        INT         NOT NULL DEFAULT 0,
    created_at      BIGINT      NOT NULL,
    updated_at      BIGINT      NOT NULL,
    sent_at         BIGINT,
    latency_ms      BIGINT,
    next_attempt_at BIGINT,
    last_error      VARCHAR(500),
    PRIMARY KEY (id, campaign_id),
    UNIQUE KEY messages_campaign_recipient_uq (campaign_id, recipient_id),
    KEY messages_campaign_id_idx (campaign_id, id),
    KEY messages_campaign_status_idx (campaign_id, status, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
  PARTITION BY HASH (campaign_id) PARTITIONS 8;

CREATE TABLE campaign_stats (
    campaign_id  BIGINT PRIMARY KEY,
    total        BIGINT NOT NULL DEFAULT 0,
    queued       BIGINT NOT NULL DEFAULT 0,
    sent         BIGINT NOT NULL DEFAULT 0,
    failed       BIGINT NOT NULL DEFAULT 0,
    retries      BIGINT NOT NULL DEFAULT 0,
    cancelled    BIGINT NOT NULL DEFAULT 0,
    latency_hist MEDIUMBLOB,
    updated_at   BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
