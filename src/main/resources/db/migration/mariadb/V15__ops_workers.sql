-- Worker processes (issue 14): a process with the worker role writes its row when it starts and a heartbeat every
-- herald.ops.heartbeat-interval, with the batches and messages it handled in the last minute; a row silent for longer
-- than herald.ops.lost-after is a lost worker. A clean shutdown sets stopped_at. Rows whose last heartbeat is older
-- than herald.ops.forget-after (1 day) are deleted by the running workers. Times are epoch milliseconds.
CREATE TABLE ops_workers (
    id                   VARCHAR(64)  NOT NULL PRIMARY KEY,
    host                 VARCHAR(255) NOT NULL,
    pid                  BIGINT       NOT NULL,
    roles                VARCHAR(100) NOT NULL,
    transport            VARCHAR(32)  NOT NULL,
    started_at           BIGINT       NOT NULL,
    last_heartbeat_at    BIGINT       NOT NULL,
    stopped_at           BIGINT,
    batches_last_minute  BIGINT       NOT NULL DEFAULT 0,
    messages_last_minute BIGINT       NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX ops_workers_started_idx ON ops_workers (started_at);

-- The operations summary reads the installation's throughput of the last hour across campaigns by second.
CREATE INDEX campaign_throughput_second_idx ON campaign_throughput (epoch_second);
