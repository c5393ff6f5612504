-- The comment of sync_lock said how single flight works on H2 only (issue 21): PostgreSQL uses an advisory lock.
COMMENT ON TABLE sync_lock IS 'Single flight on H2: a running sync holds its source''s row locked, and the lock dies with its connection. PostgreSQL uses a session advisory lock on the source''s name instead';
