-- Issue 8: a full scan that starts while its source has no users cannot find anyone to flag deleted, so it keeps
-- no scan_seen rows and skips the pass over the source at its end. A resumed scan must know how it started.

ALTER TABLE sync_state ADD COLUMN scan_from_empty boolean DEFAULT FALSE NOT NULL;
COMMENT ON COLUMN sync_state.scan_from_empty IS 'the full scan in progress began when the source had no users: it tracks no seen ids and flags nobody';
