package io.botsync.source.mercury;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.model.IdRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The paginator: Mercury offers no offset, only {@code startId} ("the user ID to start from") and {@code limit}.
 * The next page starts from the last new user of this one. Whether Mercury's page then begins WITH that user
 * or after it is not documented, so both readings work:
 * <ul>
 *   <li>an item already seen (the {@code startId} user, or one of the previous page) is skipped, so an
 *       inclusive server's echo is neither passed on twice nor counted as progress;</li>
 *   <li>the scan ends on an empty page (exclusive reading) or on a page with nothing new that holds no user
 *       but the {@code startId} one (inclusive reading);</li>
 *   <li>a page with nothing new that repeats OTHER users means the server does not honour {@code startId}:
 *       that is an error, never an end, so a scan that did not see everyone cannot complete and mark the rest
 *       deleted, and it cannot loop forever either;</li>
 *   <li>a page whose last new user is a {@code startId} this scan has already asked from leads back into pages
 *       already read, a loop (A, B, C, A, ...) that the previous page alone cannot show: an error too, raised
 *       before that page is returned.</li>
 * </ul>
 * Only the previous page's keys are remembered, and the {@code startId} of each page (one id a page: 20,000 for a
 * million users), so memory stays about one page whatever the number of users.
 * An id-less item counts as an echo only as often as the previous page ended with one like it.
 * Items without a usable {@code userId} are passed on (the mapping rejects them) but cannot be paged from.
 */
final class StartIdPaging {

    /**
     * What a page brings: the items not seen before, their userIds, whether the scan is complete, and the id range
     * the page covers when it came in id order (null when it did not, see {@link #inIdOrder}).
     */
    record Step(List<ObjectNode> fresh, List<String> freshIds, boolean end, IdRange range) {
    }

    private final int limit;
    private final MercuryErrors errors;
    /** False when the request sorts by properties: then no page is in id order, however its ids happen to fall. */
    private final boolean sortsById;
    private String startId;
    private final Set<String> askedFrom = new HashSet<>();
    private Set<String> previousIds = Set.of();
    /** Id-less items after the last user paged from: the next page may send them again. Counted: many are alike. */
    private Map<String, Integer> previousTail = Map.of();

    /** @param startId where an unfinished scan stopped, or null to start at the first user */
    StartIdPaging(String startId, int limit, boolean sortsById, MercuryErrors errors) {
        this.startId = startId;
        this.sortsById = sortsById;
        if (startId != null) {
            askedFrom.add(startId);
        }
        this.limit = limit;
        this.errors = errors;
    }

    /** The {@code startId} of the next request, null on the first page of a fresh scan. */
    String startId() {
        return startId;
    }

    Step read(List<ObjectNode> items, String request) {
        String after = startId;
        if (items.isEmpty()) {
            return new Step(List.of(), List.of(), true, range(after, List.of(), null));
        }
        Set<String> ids = new HashSet<>();
        Map<String, Integer> echoes = new HashMap<>(previousTail);
        Map<String, Integer> tail = new HashMap<>();
        List<ObjectNode> fresh = new ArrayList<>(items.size());
        List<String> freshIds = new ArrayList<>(items.size());
        String lastFreshId = null;
        boolean repeatsOthers = false;
        for (ObjectNode item : items) {
            String id = userId(item);
            if (id != null) {
                ids.add(id);
                if (id.equals(startId) || previousIds.contains(id)) {
                    repeatsOthers |= !id.equals(startId);
                } else {
                    fresh.add(item);
                    freshIds.add(id);
                    lastFreshId = id;
                    tail.clear();
                }
                continue;
            }
            // an item without a usable id is recognised by its content, so an echo of it is not rejected twice;
            // only as many as the last page ended with are echoes (two users may be broken the same way)
            String key = item.toString();
            tail.merge(key, 1, Integer::sum);
            if (echoes.getOrDefault(key, 0) > 0) {
                echoes.merge(key, -1, Integer::sum);
            } else {
                fresh.add(item);
            }
        }
        previousIds = ids;
        previousTail = tail;
        if (fresh.isEmpty()) {
            if (repeatsOthers) {
                throw errors.notPaging(request, "with only users it had sent already (it does not page by startId)");
            }
            return new Step(fresh, freshIds, true, range(after, freshIds, null));
        }
        if (lastFreshId == null) {
            if (items.size() >= limit) {
                throw errors.notPaging(request, "with a full page of users without a userId, so paging cannot go past them");
            }
            // a short page of id-less users: nothing follows them
            return new Step(fresh, freshIds, true, range(after, freshIds, null));
        }
        if (!askedFrom.add(lastFreshId)) {
            throw errors.notPaging(request, "with users that lead back to startId=" + lastFreshId + ", which this scan"
                    + " has asked from already (its pages go round in a loop)");
        }
        startId = lastFreshId;
        return new Step(fresh, freshIds, false, range(after, freshIds, lastFreshId));
    }

    /** The range a page covers, from the id it was asked from, when its new ids came in id order; else null. */
    private IdRange range(String after, List<String> freshIds, String upTo) {
        return sortsById && inIdOrder(after, freshIds) ? new IdRange(after, upTo) : null;
    }

    /**
     * Whether Mercury answered in id order, as keyset paging by {@code startId} does (and the simulator): the new ids
     * strictly ascending, the first above the id asked from. Only then does the page hold every user between them, so
     * that a stored user there and not in the page is gone. Mercury's reference does not say how it orders a page; a
     * page that is not in this order makes the warehouse fall back to remembering each id seen. An id with a surrogate
     * pair is never in order here: Java orders those otherwise than their UTF-8 bytes, which is the database's order.
     */
    static boolean inIdOrder(String after, List<String> ids) {
        String previous = after;
        if (previous != null && hasSurrogate(previous)) {
            return false;
        }
        for (String id : ids) {
            if (hasSurrogate(id) || previous != null && id.compareTo(previous) <= 0) {
                return false;
            }
            previous = id;
        }
        return true;
    }

    private static boolean hasSurrogate(String id) {
        return id.chars().anyMatch(c -> Character.isSurrogate((char) c));
    }

    /** The user's id when it is usable to page from: non-blank text. */
    static String userId(ObjectNode item) {
        JsonNode id = item.get("userId");
        return id != null && id.isTextual() && !id.textValue().isBlank() ? id.textValue() : null;
    }
}
