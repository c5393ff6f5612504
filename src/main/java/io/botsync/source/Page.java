package io.botsync.source;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.model.IdRange;
import io.botsync.model.Rejection;
import java.util.List;

/**
 * One page of a platform's users, as one Camel exchange carries it through the pipeline.
 *
 * @param records the platform's user objects, secrets already removed
 * @param ids     the platform's own id of each record that has one, read by the reader from the raw record as the
 *                platform's reference names it (Instabot {@code objectId}, StepChat {@code id}, Mercury {@code userId}).
 *                A full scan counts these users as seen whatever the mapping makes of their records: a record the
 *                mapping rejects or cannot identify still proves that its user exists, and must not get it flagged
 *                deleted
 * @param cursor  the source's whole cursor (JSON text) to commit with this page's rows, or null for
 *                "no cursor": a reader that must not advance mid-pass returns the cursor it started from
 * @param last    true on the page that completes the pass (it may have no records)
 * @param request what was asked for, without secrets (e.g. {@code since=...&skip=200}), for logs and landing
 * @param unreadable records that could not even be read as records (an import's broken line), with the reason
 * @param range   the id range the page covers when the platform pages in id order (see {@link IdRange}), else null
 * @param expectedRecords about how many records the whole pass returns, pages that overlap included, by the count the
 *                platform gives (Instabot's {@code totalCount}, StepChat's {@code count-users}); null when it gives
 *                none. Only for progress lines: nothing depends on it being right
 */
public record Page(List<ObjectNode> records, List<String> ids, String cursor, boolean last, String request,
                   List<Rejection> unreadable, IdRange range, Long expectedRecords) {

    /** A platform's page. */
    public Page(List<ObjectNode> records, List<String> ids, String cursor, boolean last, String request) {
        this(records, ids, cursor, last, request, List.of(), null, null);
    }

    /** A platform's page in id order that covers {@code range} (null: it could not tell). */
    public Page(List<ObjectNode> records, List<String> ids, String cursor, boolean last, String request, IdRange range) {
        this(records, ids, cursor, last, request, List.of(), range, null);
    }

    /** A page that is never part of a full scan (a replay): no ids are needed. */
    public Page(List<ObjectNode> records, String cursor, boolean last, String request) {
        this(records, List.of(), cursor, last, request, List.of(), null, null);
    }

    /** An imported page, with the lines that could not be read as records. */
    public Page(List<ObjectNode> records, String cursor, boolean last, String request, List<Rejection> unreadable) {
        this(records, List.of(), cursor, last, request, unreadable, null, null);
    }

    /** This page, saying about how many records the whole pass returns; a negative count (not known) says nothing. */
    public Page expecting(long passRecords) {
        return new Page(records, ids, cursor, last, request, unreadable, range, passRecords < 0 ? null : passRecords);
    }
}
