package io.botsync.identity;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Keeps PostgreSQL planning the contacts' statements well during a fast load. The tables grow faster than autovacuum
 * analyzes them, and with statistics that say "a few rows" PostgreSQL scanned contact_member and crm_user whole for
 * every page: 22 ms a lookup at 30,000 users, growing with the tables. So the contacts' statements are planned for
 * their values ({@link #planFresh}; the page's own statements keep their generic plans, which look rows up by a unique
 * key), and after every doubling of the members this process wrote (from 1,000 on) it analyzes the tables itself:
 * about twenty times up to a million users, each a sample of at most 30,000 rows. H2 counts its rows exactly and
 * needs none of it.
 */
final class Statistics {

    private static final long FIRST = 1_000;

    private long written;
    private long next = FIRST;

    /** Has the rest of this transaction's statements planned for their values (PostgreSQL; nothing on H2). */
    static void planFresh(Connection connection) throws SQLException {
        if (connection.getMetaData().getDatabaseProductName().equals("PostgreSQL")) {
            try (Statement set = connection.createStatement()) {
                set.execute("SET LOCAL plan_cache_mode = force_custom_plan");
            }
        }
    }

    /** Called with the member rows a transaction wrote, in that transaction. */
    synchronized void wrote(Connection connection, long rows) throws SQLException {
        written += rows;
        if (written < next || !connection.getMetaData().getDatabaseProductName().equals("PostgreSQL")) {
            return;
        }
        next = written * 2;
        try (Statement analyze = connection.createStatement()) {
            analyze.execute("ANALYZE crm_user, contact_member, contact");
        }
    }
}
