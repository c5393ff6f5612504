package io.botsync.source.mercury;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    /** What a page brings: the items not seen before, their userIds, and whether the scan is complete. */
    record Step(List<ObjectNode> fresh, List<String> freshIds, boolean end) {
    }

    private final int limit;
    private final MercuryErrors errors;
    private String startId;
    private final Set<String> askedFrom = new HashSet<>();
    private Set<String> previousIds = Set.of();
    /** Id-less items after the last user paged from: the next page may send them again. Counted: many are alike. */
    private Map<String, Integer> previousTail = Map.of();

    /** @param startId where an unfinished scan stopped, or null to start at the first user */
    StartIdPaging(String startId, int limit, MercuryErrors errors) {
        this.startId = startId;
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
        if (items.isEmpty()) {
            return new Step(List.of(), List.of(), true);
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
            return new Step(fresh, freshIds, true);
        }
        if (lastFreshId == null) {
            if (items.size() >= limit) {
                throw errors.notPaging(request, "with a full page of users without a userId, so paging cannot go past them");
            }
            // a short page of id-less users: nothing follows them
            return new Step(fresh, freshIds, true);
        }
        if (!askedFrom.add(lastFreshId)) {
            throw errors.notPaging(request, "with users that lead back to startId=" + lastFreshId + ", which this scan"
                    + " has asked from already (its pages go round in a loop)");
        }
        startId = lastFreshId;
        return new Step(fresh, freshIds, false);
    }

    /** The user's id when it is usable to page from: non-blank text. */
    static String userId(ObjectNode item) {
        JsonNode id = item.get("userId");
        return id != null && id.isTextual() && !id.textValue().isBlank() ? id.textValue() : null;
    }
}
