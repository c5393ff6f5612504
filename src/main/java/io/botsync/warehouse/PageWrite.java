package io.botsync.warehouse;

import io.botsync.model.CanonicalUser;
import io.botsync.model.IdRange;
import io.botsync.model.Rejection;
import java.util.List;

/**
 * Everything one page commits, in one transaction.
 *
 * @param fetched    how many records the platform returned in this page
 * @param cursor     the source's cursor after this page (JSON text; null for none)
 * @param scan       what this page means to a full scan in progress
 * @param raw        the page as fetched, landed in {@code raw_page} with its rows; null lands nothing
 * @param rewrite    true for a replayed or imported page: the cursor is left alone, and a stored user that is newer
 *                   ({@code updated_at}) or flagged deleted is kept as it is, so old data never overwrites new
 * @param seenIds    the platform's ids of the page's records, as the source read them: a full scan counts them seen
 *                   besides the ids of the users and rejects, so a record its mapping could not identify still counts
 * @param range      the id range the page covers in a full scan that pages in id order, or null (see {@link ScanCoverage})
 */
public record PageWrite(long runId, String source, int fetched, List<CanonicalUser> users, List<Rejection> rejections,
                        String cursor, ScanStep scan, RawPage raw, boolean rewrite, List<String> seenIds, IdRange range) {

    /** A page that covers no id range. */
    public PageWrite(long runId, String source, int fetched, List<CanonicalUser> users, List<Rejection> rejections,
                     String cursor, ScanStep scan, RawPage raw, boolean rewrite, List<String> seenIds) {
        this(runId, source, fetched, users, rejections, cursor, scan, raw, rewrite, seenIds, null);
    }

    /** A page whose only seen ids are those of its users and rejects. */
    public PageWrite(long runId, String source, int fetched, List<CanonicalUser> users, List<Rejection> rejections,
                     String cursor, ScanStep scan, RawPage raw, boolean rewrite) {
        this(runId, source, fetched, users, rejections, cursor, scan, raw, rewrite, List.of());
    }

    /** A fetched page that lands nothing. */
    public PageWrite(long runId, String source, int fetched, List<CanonicalUser> users, List<Rejection> rejections,
                     String cursor, ScanStep scan) {
        this(runId, source, fetched, users, rejections, cursor, scan, null, false);
    }

    /** A page's part in a full scan, which flags the users it never saw as deleted once it completes. */
    public enum ScanStep {
        /** Not part of a full scan. */
        NONE,
        /** A page of a full scan in progress: its ids are remembered as seen. */
        SEEN,
        /** The page that completes a full scan: its ids are seen, then every unseen user is flagged deleted. */
        COMPLETES
    }
}
