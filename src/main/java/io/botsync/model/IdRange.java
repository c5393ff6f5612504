package io.botsync.model;

/**
 * The ids a page of a full scan covers, for a platform that pages in id order (Mercury's {@code startId}): every user
 * of the platform whose id lies in {@code (after, upTo]}, compared as {@link String#compareTo} does, is in the page,
 * so a stored user in that range that the page does not hold is gone. Ids here never hold surrogate pairs, so that
 * order is the order of their UTF-8 bytes too.
 *
 * @param after the last id of the page before (exclusive); null: from the first id
 * @param upTo  the page's last id (inclusive); null: to the last id (the page that completes the scan)
 */
public record IdRange(String after, String upTo) {

    public boolean holds(String id) {
        return (after == null || id.compareTo(after) > 0) && (upTo == null || id.compareTo(upTo) <= 0);
    }
}
