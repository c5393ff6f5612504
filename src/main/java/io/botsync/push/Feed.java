package io.botsync.push;

import java.util.Locale;

/**
 * What an outbox endpoint reads: platform users' changes ({@code user_change}) or contacts' changes
 * ({@code contact_change}). Each has its own change ids; a target reads one of them, and its position counts in it.
 */
enum Feed {
    USERS("user_change"),
    CONTACTS("contact_change");

    /** The outbox table. */
    final String table;

    Feed(String table) {
        this.table = table;
    }

    String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException for a value other than users or contacts */
    static Feed of(String value) {
        return valueOf(value.strip().toUpperCase(Locale.ROOT));
    }
}
