-- Segment expressions read attributes from the JSON text column; PostgreSQL and MariaDB have JSON functions,
-- H2 gets this one (io.herald.audience.H2Attributes). Deterministic: same JSON and name, same answer.
CREATE ALIAS IF NOT EXISTS HERALD_ATTRIBUTE DETERMINISTIC FOR 'io.herald.audience.H2Attributes.attribute';
