package io.botsync.warehouse;

/** A crm_user row's key. */
public record UserKey(String source, String externalId) {
}
