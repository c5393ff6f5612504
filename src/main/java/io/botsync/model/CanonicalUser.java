package io.botsync.model;

import java.time.Instant;

/**
 * One person as the warehouse sees it, whatever platform they came from. Every field is already
 * normalised (see {@code io.botsync.mapping.Normaliser}); {@code contentHash} covers all of them
 * except {@code source}, so an unchanged user is recognised without comparing columns.
 */
public record CanonicalUser(
        String source,
        String externalId,
        String email,
        String phone,
        String firstName,
        String lastName,
        String displayName,
        String userType,
        String locale,
        Instant createdAt,
        Instant updatedAt,
        String attributes,
        String contentHash) {
}
