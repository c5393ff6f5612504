package io.botsync.sim.stepchat;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A user's fields as the write API set them (a generated user becomes one of these on its first
 * {@code update-user}). {@code rawActivity}, when set, is rendered as {@code last_activity} verbatim: a test
 * knob for a platform that sends a malformed date.
 *
 * @param details slug -> {value, name}, the shape {@code extra} / {@code settings_extra} use
 */
record Written(String firstName, String lastName, String email, String profileImage, String password,
               String department, String loginToken, Map<String, String[]> details, String rawActivity) {

    Written copy() {
        return new Written(firstName, lastName, email, profileImage, password, department, loginToken,
                new LinkedHashMap<>(details), rawActivity);
    }

    Written withRawActivity(String text) {
        return new Written(firstName, lastName, email, profileImage, password, department, loginToken, details, text);
    }
}
