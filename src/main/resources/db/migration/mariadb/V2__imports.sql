-- CSV imports (issue 5): progress and result of each import, readable from any API process.
CREATE TABLE imports (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    status       VARCHAR(16)  NOT NULL,
    file_name    VARCHAR(300),
    dry_run      BOOLEAN      NOT NULL DEFAULT FALSE,
    total_rows   BIGINT       NOT NULL DEFAULT 0,
    imported     BIGINT       NOT NULL DEFAULT 0,
    updated      BIGINT       NOT NULL DEFAULT 0,
    skipped      BIGINT       NOT NULL DEFAULT 0,
    bytes_read   BIGINT       NOT NULL DEFAULT 0,
    bytes_total  BIGINT       NOT NULL DEFAULT 0,
    errors       MEDIUMTEXT,
    failure      VARCHAR(1000),
    created_at   BIGINT       NOT NULL,
    updated_at   BIGINT       NOT NULL,
    finished_at  BIGINT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Recipient listing walks ids newest first among those not deleted.
CREATE INDEX recipients_status_idx ON recipients (status, id);
