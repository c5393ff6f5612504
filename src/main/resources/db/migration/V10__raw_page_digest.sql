-- Issue 22: a page is landed only when the source never landed the same page before. A full scan that changes nothing
-- (every Mercury run is one) landed every page again: 20,000 pages a run for a 1M-user account, 58 million in the
-- 30-day retention. Pages landed before this migration have no digest and are never matched.
ALTER TABLE raw_page ADD COLUMN digest char(64);
CREATE INDEX raw_page_digest_idx ON raw_page (source, digest);
COMMENT ON COLUMN raw_page.digest IS 'SHA-256 of payload, in hex: a page whose digest the source has landed already is not landed again';
