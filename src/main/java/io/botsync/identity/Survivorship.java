package io.botsync.identity;

import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Which member's value a contact shows, field by field: the first non-blank value by source priority, ties going to
 * the member updated last (then by source and external id, so the choice never depends on reading order).
 */
final class Survivorship {

    /** A member's values, as read for its contact. */
    record Candidate(String source, String externalId, String email, String phone, String firstName, String lastName,
                     String displayName, String locale, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

        String name() {
            return source + "/" + externalId;
        }
    }

    private final List<String> priority;
    private final Comparator<Candidate> order;

    Survivorship(List<String> priority) {
        this.priority = priority;
        this.order = Comparator.comparingInt(this::rank).thenComparing(Candidate::source)
                .thenComparing(Candidate::updatedAt, Comparator.nullsLast(Comparator.<OffsetDateTime>reverseOrder()))
                .thenComparing(Candidate::externalId);
    }

    /** A source's place: its index in the priority list; sources not listed after them all, by name. */
    private int rank(Candidate candidate) {
        int index = priority.indexOf(candidate.source());
        return index < 0 ? priority.size() : index;
    }

    ContactRows.Contact contact(List<Candidate> members) {
        List<Candidate> ordered = members.stream().sorted(order).toList();
        Map<String, String> sources = new LinkedHashMap<>();
        OffsetDateTime created = null;
        OffsetDateTime updated = null;
        for (Candidate member : members) {
            if (member.createdAt() != null && (created == null || member.createdAt().isBefore(created))) {
                created = member.createdAt();
            }
            if (member.updatedAt() != null && (updated == null || member.updatedAt().isAfter(updated))) {
                updated = member.updatedAt();
            }
        }
        return new ContactRows.Contact(pick(ordered, "email", Candidate::email, sources),
                pick(ordered, "phone", Candidate::phone, sources), pick(ordered, "first_name", Candidate::firstName, sources),
                pick(ordered, "last_name", Candidate::lastName, sources),
                pick(ordered, "display_name", Candidate::displayName, sources), pick(ordered, "locale", Candidate::locale, sources),
                ContactRows.utc(created), ContactRows.utc(updated), members.size(), sources);
    }

    private static String pick(List<Candidate> ordered, String field, Function<Candidate, String> value,
                               Map<String, String> sources) {
        for (Candidate member : ordered) {
            String candidate = value.apply(member);
            if (candidate != null && !candidate.isBlank()) {
                sources.put(field, member.name());
                return candidate;
            }
        }
        return null;
    }
}
