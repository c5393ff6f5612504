-- One row per bad record (issue 21): a record rejected by every run that reads it used to add a row each time (a year
-- of 15-minute crons: 35,000 rows for one record). A record is known by its platform id, or by a hash of its payload
-- when it has none; the row counts the runs that saw it and is marked resolved when the record later lands.
ALTER TABLE rejected_record ADD COLUMN record_key varchar(128);
ALTER TABLE rejected_record ADD COLUMN last_seen timestamp with time zone;
ALTER TABLE rejected_record ADD COLUMN seen_count bigint DEFAULT 1 NOT NULL;
ALTER TABLE rejected_record ADD COLUMN resolved_at timestamp with time zone;

-- Earlier rows: those with a platform id are merged into the newest of each record; those without keep a row each
-- (their key, a hash of the payload, is computed by botsync, not here)
UPDATE rejected_record SET record_key = external_id, last_seen = created_at;
UPDATE rejected_record r SET
    seen_count = (SELECT COUNT(*) FROM rejected_record o WHERE o.source = r.source AND o.record_key = r.record_key),
    created_at = (SELECT MIN(o.created_at) FROM rejected_record o WHERE o.source = r.source AND o.record_key = r.record_key)
WHERE r.record_key IS NOT NULL;
DELETE FROM rejected_record r WHERE r.record_key IS NOT NULL AND EXISTS (
    SELECT 1 FROM rejected_record o WHERE o.source = r.source AND o.record_key = r.record_key AND o.id > r.id);
UPDATE rejected_record r SET resolved_at = (
    SELECT u.last_synced_at FROM crm_user u WHERE u.source = r.source AND u.external_id = r.record_key)
WHERE EXISTS (SELECT 1 FROM crm_user u WHERE u.source = r.source AND u.external_id = r.record_key
              AND u.last_synced_at > r.last_seen);
ALTER TABLE rejected_record ALTER COLUMN last_seen SET NOT NULL;

CREATE UNIQUE INDEX rejected_record_key_idx ON rejected_record (source, record_key);
-- a page asks whether its source has a bad record still open before it looks its users up among them
CREATE INDEX rejected_record_open_idx ON rejected_record (source, resolved_at);

COMMENT ON TABLE rejected_record IS 'Records that could not be mapped, one row per record (by source and record_key), with the reason of the last time; payload has its secrets removed';
COMMENT ON COLUMN rejected_record.run_id IS 'The last run that rejected the record';
COMMENT ON COLUMN rejected_record.record_key IS 'The platform id of the record, or sha256: and the hash of its payload when it has none (null on rows without an id rejected before the V9 migration)';
COMMENT ON COLUMN rejected_record.created_at IS 'When a run first rejected the record';
COMMENT ON COLUMN rejected_record.last_seen IS 'When a run last rejected the record';
COMMENT ON COLUMN rejected_record.seen_count IS 'How many times runs rejected the record (each run counts it in sync_run.rejected)';
COMMENT ON COLUMN rejected_record.resolved_at IS 'When the record landed as a user after its last rejection; null while it is still bad';
