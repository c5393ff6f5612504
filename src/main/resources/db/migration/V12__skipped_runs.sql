-- Issue 20: an import of a file whose content was imported before writes nothing, and is kept as a run of its own with
-- status 'skipped' and the reason in error, so the source's history shows that it was asked for and why nothing came
-- of it. The column has no CHECK constraint: only its description changes.
COMMENT ON COLUMN sync_run.status IS 'running, succeeded, failed or skipped (an import of content imported before; error says why)';
COMMENT ON COLUMN sync_run.error IS 'why the run failed, or why it was skipped';
