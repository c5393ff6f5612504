package io.botsync.warehouse;

/**
 * A user a page transaction changed, as it is once the transaction commits: its email and phone as written, or gone
 * ({@code live} false: flagged deleted).
 */
public record UserChange(UserKey key, String email, String phone, boolean live) {
}
