-- Tag rows are only ever looked up by (tag, recipient_id): deleting a recipient's tags names them
-- (they are mirrored in recipients.tags), so the (recipient_id, tag) index only slowed every import.
DROP INDEX recipient_tags_recipient_idx;
