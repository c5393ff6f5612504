-- Reliability (issue 7): single flight across processes and the mass-delete gate.

-- One row per source. A sync holds its source's row locked (SELECT ... FOR UPDATE) on a connection of its own for
-- as long as it runs; a second process finds it locked and skips the source. The lock is the database's, so it
-- goes with the holder's connection: a killed process never leaves a source locked.
CREATE TABLE sync_lock (
    source varchar(32) NOT NULL PRIMARY KEY
);
COMMENT ON TABLE sync_lock IS 'Single flight: a running sync holds its source''s row locked; the lock dies with its connection';

-- The largest share of a source's users a run's completed full scan may flag deleted (0.2 = 20%); NULL when
-- `sync --allow-mass-delete` lifted the gate for that run.
ALTER TABLE sync_run ADD COLUMN max_delete_share numeric(5,4);
COMMENT ON COLUMN sync_run.max_delete_share IS 'mass-delete gate of the run: the largest share of users it may flag deleted; NULL: lifted by --allow-mass-delete';
