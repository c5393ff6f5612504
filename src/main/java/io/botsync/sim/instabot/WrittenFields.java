package io.botsync.sim.instabot;

/**
 * The read-write fields of a user that was created or updated through the API, kept as written. Only those
 * few users carry them; generated users render theirs from the seed. The password is never kept.
 *
 * @param customProperties JSON object text exactly as {@code SimServer.JSON} writes it in UTF-8 (characters beyond
 *                         the BMP escaped, unlike {@code JsonNode.toString}), or null: pages copy it as it is
 */
record WrittenFields(String username, String name, String description, String email, String phone, String customProperties) {
}
