package io.botsync.sync;

import io.botsync.model.CanonicalUser;
import io.botsync.model.Rejection;
import java.util.List;

/**
 * The body {@code botsync:map} leaves: a page's canonical users and the records it rejected, with the page they came
 * from (its raw records are landed by {@code botsync:warehouse}). Converts to JSON for steps that log or store it.
 */
public final class MappedPage {

    private final List<CanonicalUser> users;
    private final List<Rejection> rejections;
    private final FetchedPage fetched;

    MappedPage(List<CanonicalUser> users, List<Rejection> rejections, FetchedPage fetched) {
        this.users = users;
        this.rejections = rejections;
        this.fetched = fetched;
    }

    public List<CanonicalUser> users() {
        return users;
    }

    public List<Rejection> rejections() {
        return rejections;
    }

    public FetchedPage fetched() {
        return fetched;
    }

    @Override
    public String toString() {
        return fetched.ticket() + ": " + users.size() + " users, " + rejections.size() + " rejected";
    }
}
