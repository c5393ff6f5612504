package io.botsync.sim.instabot;

/**
 * The read-write fields of a user that was created or updated through the API, kept as written. Only those
 * few users carry them; generated users render theirs from the seed. The password is never kept.
 *
 * @param customProperties JSON object text, or null
 */
record WrittenFields(String username, String name, String description, String email, String phone, String customProperties) {
}
