-- Circuit breaker state per provider and worker process (issue 13), so the API can show an outage. Workers write
-- a row on every state change and refresh it every few seconds while it is not CLOSED; a stale row means nothing.
CREATE TABLE provider_health (
    provider    VARCHAR(64)  NOT NULL,
    worker      VARCHAR(100) NOT NULL,
    state       VARCHAR(16)  NOT NULL,
    since       BIGINT       NOT NULL,
    last_error  VARCHAR(500),
    updated_at  BIGINT       NOT NULL,
    PRIMARY KEY (provider, worker)
);
