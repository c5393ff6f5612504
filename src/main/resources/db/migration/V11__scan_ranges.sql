-- Issue 22: a full scan that pages in id order (Mercury's startId) covers its source range by range, so it needs no
-- scan_seen row per user: only the stored users that a page's range holds and the page did not (the candidates to
-- flag deleted). A re-scan that changes nothing then writes no row but its run's bookkeeping. A scan in progress
-- when this migration runs has scan_ranged FALSE and nothing covered: it goes on with scan_seen rows, as before.

CREATE TABLE scan_unseen (
    source      varchar(32)  NOT NULL,
    external_id varchar(128) NOT NULL,
    PRIMARY KEY (source, external_id)
);
COMMENT ON TABLE scan_unseen IS 'Working table of full scans in id order: stored users inside a covered id range that the scan did not see';

ALTER TABLE sync_state ADD COLUMN scan_ranged boolean DEFAULT FALSE NOT NULL;
ALTER TABLE sync_state ADD COLUMN scan_covered_to varchar(128);
COMMENT ON COLUMN sync_state.scan_ranged IS 'every page of the full scan in progress so far covered an id range, contiguous from the first id';
COMMENT ON COLUMN sync_state.scan_covered_to IS 'the last id of the ranges the full scan in progress covered (null: none); users above it are known only by scan_seen';
