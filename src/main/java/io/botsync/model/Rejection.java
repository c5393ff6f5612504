package io.botsync.model;

/**
 * A record that could not become a {@link CanonicalUser}. The payload is the record as the
 * platform sent it, with its secrets already removed by the source.
 *
 * @param externalId the platform id when it could be read, else null
 */
public record Rejection(String externalId, String reason, String payload) {
}
