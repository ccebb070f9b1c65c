-- Access control (issue 7): hashed API keys and the audit log. Times are epoch milliseconds.

-- Only the SHA-256 of a key is stored; the secret itself is shown once, when it is created.
CREATE TABLE api_keys (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    prefix      VARCHAR(32)  NOT NULL,
    key_hash    VARCHAR(64)  NOT NULL,
    role        VARCHAR(16)  NOT NULL,
    created_by  VARCHAR(200) NOT NULL,
    created_at  BIGINT       NOT NULL,
    revoked_at  BIGINT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE UNIQUE INDEX api_keys_hash_uq ON api_keys (key_hash);

CREATE TABLE audit_log (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    occurred_at  BIGINT        NOT NULL,
    actor        VARCHAR(200)  NOT NULL,
    role         VARCHAR(16),
    action       VARCHAR(100)  NOT NULL,
    target_type  VARCHAR(50),
    target_id    VARCHAR(100),
    detail       VARCHAR(1000),
    remote_addr  VARCHAR(64)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX audit_log_actor_idx ON audit_log (actor, id);
CREATE INDEX audit_log_action_idx ON audit_log (action, id);
