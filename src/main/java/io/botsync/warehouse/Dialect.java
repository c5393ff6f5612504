package io.botsync.warehouse;

/**
 * What differs between the two warehouses botsync writes to. Everything else is plain SQL both accept.
 */
enum Dialect {

    H2("varchar", false, 1,
            """
            MERGE INTO crm_user t
            USING (VALUES (CAST(? AS VARCHAR(32)), CAST(? AS VARCHAR(128)), CAST(? AS VARCHAR(320)), CAST(? AS VARCHAR(32)),
                           CAST(? AS VARCHAR(200)), CAST(? AS VARCHAR(200)), CAST(? AS VARCHAR(400)), CAST(? AS VARCHAR(32)),
                           CAST(? AS VARCHAR(16)), CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS TIMESTAMP WITH TIME ZONE),
                           CAST(? AS VARCHAR), CAST(? AS CHAR(64)), CAST(? AS TIMESTAMP WITH TIME ZONE)))
                AS s (source, external_id, email, phone, first_name, last_name, display_name, user_type, locale,
                      created_at, updated_at, attributes, content_hash, synced_at)
            ON t.source = s.source AND t.external_id = s.external_id
            WHEN MATCHED AND (t.content_hash <> s.content_hash OR t.deleted) THEN UPDATE SET
                email = s.email, phone = s.phone, first_name = s.first_name, last_name = s.last_name,
                display_name = s.display_name, user_type = s.user_type, locale = s.locale, created_at = s.created_at,
                updated_at = s.updated_at, attributes = s.attributes, content_hash = s.content_hash, deleted = FALSE,
                last_synced_at = s.synced_at
            WHEN NOT MATCHED THEN INSERT (source, external_id, email, phone, first_name, last_name, display_name,
                user_type, locale, created_at, updated_at, attributes, content_hash, deleted, first_synced_at, last_synced_at)
            VALUES (s.source, s.external_id, s.email, s.phone, s.first_name, s.last_name, s.display_name, s.user_type,
                s.locale, s.created_at, s.updated_at, s.attributes, s.content_hash, FALSE, s.synced_at, s.synced_at)
            """,
            "MERGE INTO scan_seen (source, external_id) KEY (source, external_id) VALUES (?, ?)",
            "MERGE INTO sync_state (source, cursor, updated_at) KEY (source) VALUES (?, ?, ?)",
            "MERGE INTO sync_lock (source) KEY (source) VALUES (?)", null, null, null),

    POSTGRESQL("text", true, 2,
            """
            INSERT INTO crm_user (source, external_id, email, phone, first_name, last_name, display_name, user_type,
                locale, created_at, updated_at, attributes, content_hash, deleted, first_synced_at, last_synced_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE, ?, ?)
            ON CONFLICT (source, external_id) DO UPDATE SET
                email = EXCLUDED.email, phone = EXCLUDED.phone, first_name = EXCLUDED.first_name,
                last_name = EXCLUDED.last_name, display_name = EXCLUDED.display_name, user_type = EXCLUDED.user_type,
                locale = EXCLUDED.locale, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,
                attributes = EXCLUDED.attributes, content_hash = EXCLUDED.content_hash, deleted = FALSE,
                last_synced_at = EXCLUDED.last_synced_at
            WHERE crm_user.content_hash IS DISTINCT FROM EXCLUDED.content_hash OR crm_user.deleted
            """,
            "INSERT INTO scan_seen (source, external_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
            """
            INSERT INTO sync_state (source, cursor, updated_at) VALUES (?, ?, ?)
            ON CONFLICT (source) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = EXCLUDED.updated_at
            """,
            "INSERT INTO sync_lock (source) VALUES (?) ON CONFLICT DO NOTHING",
            // a session lock, not a row lock held by an open transaction: a transaction open for a whole sync would
            // hold back PostgreSQL's xmin horizon, so the rows rewritten every page (sync_run, sync_state) would pile up
            // dead versions that cannot be pruned, and every page would get slower
            "SELECT pg_try_advisory_lock(" + Dialect.LOCK_CLASS + ", hashtext(?))",
            "SELECT pg_advisory_unlock(" + Dialect.LOCK_CLASS + ", hashtext(?))",
            // After five executions the driver prepares a statement on the server, and PostgreSQL may keep a generic
            // plan made while crm_user was empty: a sequential scan for "external_id = ANY (?)", 50+ ms a page on a
            // large table. Plans are cheap next to that: always plan for the values at hand.
            "SET plan_cache_mode = force_custom_plan");

    /** The column type of unbounded text (JSON, error messages): H2's own {@code text} is a CLOB. */
    final String textType;
    /**
     * How a page's stored hashes are looked up: PostgreSQL plans {@code = ANY(array)} as an index lookup. H2 uses only
     * the {@code source} part of the key for that, and for {@code external_id IN (...)}, so it scans the whole source
     * per page; it looks a row-value list {@code (source, external_id) IN ((?, ?), ...)} up in the primary key.
     */
    final boolean storedByArray;
    /** Parameters 1-13 of {@link #upsertUser}: the user's columns in table order up to content_hash; then the sync time this many times. */
    final int syncTimeParameters;
    final String upsertUser;
    final String markSeen;
    final String upsertCursor;
    /** Adds a source's row to sync_lock unless it is there: the row the single-flight lock locks (H2). */
    final String insertLock;
    /** Takes a source's single-flight lock as a session advisory lock (true when taken), or null: lock the row. */
    final String advisoryLock;
    final String advisoryUnlock;
    /** Run on every new connection, or null. */
    final String sessionSetup;

    /** The first key of botsync's advisory locks, so that they never meet another application's ("bs"). */
    static final int LOCK_CLASS = 0x6273;

    Dialect(String textType, boolean storedByArray, int syncTimeParameters, String upsertUser, String markSeen,
            String upsertCursor, String insertLock, String advisoryLock, String advisoryUnlock, String sessionSetup) {
        this.textType = textType;
        this.storedByArray = storedByArray;
        this.syncTimeParameters = syncTimeParameters;
        this.upsertUser = upsertUser;
        this.markSeen = markSeen;
        this.upsertCursor = upsertCursor;
        this.insertLock = insertLock;
        this.advisoryLock = advisoryLock;
        this.advisoryUnlock = advisoryUnlock;
        this.sessionSetup = sessionSetup;
    }

    /** The stored hash and deleted flag of a page's users: the source and an array of ids, or a (source, id) pair each. */
    String selectStored(int ids) {
        String where = storedByArray ? "source = ? AND external_id = ANY (?)"
                : "(source, external_id) IN (" + "(?, ?), ".repeat(ids - 1) + "(?, ?))";
        return "SELECT external_id, content_hash, deleted, updated_at FROM crm_user WHERE " + where;
    }

    static Dialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("botsync.warehouse.url must be a jdbc:h2: or jdbc:postgresql: URL, not " + jdbcUrl);
    }
}
