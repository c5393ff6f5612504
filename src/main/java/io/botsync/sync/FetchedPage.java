package io.botsync.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.model.Rejection;
import java.util.List;

/**
 * The body of an exchange that {@code botsync:source} emits: one page of a platform's users as received, secrets
 * already removed. Steps between the stages may read it (it converts to the JSON array of its records, so a
 * {@code wireTap} to {@code file:} writes the page); {@code botsync:map} turns it into a {@link MappedPage}.
 */
public final class FetchedPage {

    private final List<ObjectNode> records;
    private final List<Rejection> unreadable;
    private final String request;
    private final PageTicket ticket;

    FetchedPage(List<ObjectNode> records, List<Rejection> unreadable, String request, PageTicket ticket) {
        this.records = records;
        this.unreadable = unreadable;
        this.request = request;
        this.ticket = ticket;
    }

    /** The platform's user objects; read them, never change them (a wire tap may be reading them too). */
    public List<ObjectNode> records() {
        return records;
    }

    /** Records that could not even be read as records (an import's broken line), with the reason. */
    public List<Rejection> unreadable() {
        return unreadable;
    }

    /** What was asked for, without secrets, e.g. {@code since=2024-05-01T10:00:00&skip=200}. */
    public String request() {
        return request;
    }

    PageTicket ticket() {
        return ticket;
    }

    @Override
    public String toString() {
        return ticket + " (" + request + "): " + records.size() + " records";
    }
}
