-- Installation-wide channel rate caps (issue 12). Embedded H2 runs a single Herald process, which keeps its cap buckets
-- in memory; the table has the same layout as on PostgreSQL and MariaDB (Bucket4j's JDBC proxy managers) so that the
-- schemas stay alike.
CREATE TABLE rate_limit_buckets (
    id         VARCHAR(255) NOT NULL PRIMARY KEY,
    state      VARBINARY(4096),
    expires_at BIGINT
);
