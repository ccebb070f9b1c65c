-- The hot indexes' text keys compare bytewise. A database created with a libc locale other than C or POSIX
-- (C.UTF-8 included, which Debian's initdb picks) makes PostgreSQL 15 and older compare every key through
-- strcoll(), and it cannot use abbreviated keys: a 1M-row COPY into a table with unique email and phone took
-- 4.3-4.9 s with the database's C.UTF-8 and 3.7-3.9 s with COLLATE "C". These keys are compared for equality and
-- ordered only to keep the index (emails and phones are stored normalised, tags are lowercase, statuses are
-- ASCII words), so byte order changes no answer; LIKE 'prefix%' on them can now use the index as well.
-- messages.status stays as it is: a 1M-message send measured the same with it in byte order (41,320 against
-- 41,243 msg/s), and on a large table the change rebuilds every partition's indexes.
ALTER TABLE recipients ALTER COLUMN email TYPE VARCHAR(320) COLLATE "C";
ALTER TABLE recipients ALTER COLUMN phone TYPE VARCHAR(32) COLLATE "C";
ALTER TABLE recipients ALTER COLUMN status TYPE VARCHAR(16) COLLATE "C";
ALTER TABLE recipient_tags ALTER COLUMN tag TYPE VARCHAR(64) COLLATE "C";
ALTER TABLE suppressions ALTER COLUMN address TYPE VARCHAR(320) COLLATE "C";
