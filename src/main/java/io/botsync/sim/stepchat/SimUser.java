package io.botsync.sim.stepchat;

/**
 * One simulated user, kept small so a million fit: the generated fields (names, email, details, login token)
 * are recomputed from the seed, the id and {@code version} whenever a request renders the user.
 *
 * @param created      {@code creation_time}, epoch seconds UTC
 * @param lastActivity {@code last_activity}, epoch seconds UTC
 * @param version      bumped when the person changes their data, which picks new generated values
 * @param written      the fields set through the write API ({@code add-user}, {@code update-user}), else null
 */
record SimUser(long id, String type, long created, long lastActivity, int version, Written written) {

    SimUser withActivity(long seconds) {
        return new SimUser(id, type, created, seconds, version, written);
    }

    SimUser changed(long seconds) {
        return new SimUser(id, type, created, seconds, version + 1, written);
    }

    SimUser withType(String newType) {
        return new SimUser(id, newType, created, lastActivity, version, written);
    }

    SimUser withWritten(Written newWritten) {
        return new SimUser(id, type, created, lastActivity, version, newWritten);
    }
}
