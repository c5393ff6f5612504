package io.botsync.imports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.model.Rejection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One item of an import file: a record, or a line that could not be read as one (kept as a rejection with its line
 * number). Secret fields are removed from records here, and masked in the text of unreadable lines, because an
 * export may carry them (a StepChat user's login token and password) and they must never be landed or stored.
 */
record FileRecord(long line, ObjectNode record, Rejection unreadable) {

    /** The secret fields of every platform's user objects (see each reader's own list). */
    static final List<String> SECRETS = List.of("token", "password", "userPassword");

    private static final Pattern SECRET_VALUE = Pattern.compile(
            "(\"(?:token|password|userPassword)\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"?");

    static FileRecord of(long line, ObjectNode record) {
        record.remove(SECRETS);
        return new FileRecord(line, record, null);
    }

    static FileRecord unreadable(long line, String reason, String text) {
        String masked = SECRET_VALUE.matcher(text).replaceAll("$1\"***\"");
        return new FileRecord(line, null, new Rejection(null, "line " + line + ": " + reason, masked));
    }
}
