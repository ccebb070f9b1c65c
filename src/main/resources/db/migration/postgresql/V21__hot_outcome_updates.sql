-- A sent message's outcome UPDATE becomes a HOT update (heap-only tuple): PostgreSQL writes the new row version on the
-- same page and adds no index entries, instead of one entry in each of the table's three indexes per message.
-- That takes two things (bench/throughput, 1M messages, README "2026-12-03, night"):
--   * no index may name a column that QUEUED -> SENT changes. The (campaign_id, status, id) index named status; it is
--     replaced by an index of the rare states only, through a generated column that is NULL while a message is
--     QUEUED or SENT, so the common transition leaves it (and the partial index's predicate) unchanged;
--   * room on the page for the new version: fan-out fills each page only half, and a page's rows are sent together.
-- QUEUED and SENT pages walk the primary key backwards (those rows are dense), RETRYING, FAILED (the dead letters) and
-- CANCELLED pages walk this index; MessageLedger names the column so that the planner can use it.
ALTER TABLE messages ADD COLUMN attention VARCHAR(12)
    GENERATED ALWAYS AS (CASE WHEN status IN ('QUEUED', 'SENT') THEN NULL ELSE status END) STORED;
CREATE INDEX messages_attention_idx ON messages (campaign_id, attention, id) WHERE attention IS NOT NULL;
DROP INDEX messages_campaign_status_idx;
ALTER TABLE messages_p0 SET (fillfactor = 50);
ALTER TABLE messages_p1 SET (fillfactor = 50);
ALTER TABLE messages_p2 SET (fillfactor = 50);
ALTER TABLE messages_p3 SET (fillfactor = 50);
ALTER TABLE messages_p4 SET (fillfactor = 50);
ALTER TABLE messages_p5 SET (fillfactor = 50);
ALTER TABLE messages_p6 SET (fillfactor = 50);
ALTER TABLE messages_p7 SET (fillfactor = 50);
