-- Installation-wide channel rate caps (issue 12): Bucket4j's JDBC proxy manager (its MySQL one, which MariaDB runs)
-- keeps one row per bucket, in the layout its documentation gives (id, serialized state, expiry in epoch
-- milliseconds). Keys are strings such as 'herald:rate:email:50/s'; Bucket4j locks the row (SELECT ... FOR UPDATE).
CREATE TABLE rate_limit_buckets (
    id         VARCHAR(255) NOT NULL PRIMARY KEY,
    state      BLOB,
    expires_at BIGINT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
