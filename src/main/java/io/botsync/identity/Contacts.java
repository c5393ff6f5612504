package io.botsync.identity;

import io.botsync.warehouse.UserChange;
import io.botsync.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the contacts in step with the users, inside every page transaction that changes users (README "Contacts"):
 * the work commits with the page or not at all, so a crash never leaves users and contacts apart, and the outbox
 * lock that page holds from its first change event to its commit keeps two sources' transactions from resolving the
 * same people at once. Why not a stage of its own after the page: between the two, a contact would be out of date,
 * and a push of contacts could send it; in the page it costs the page a few indexed reads per user changed.
 */
public final class Contacts implements Warehouse.UserChanges {

    private static final Logger LOG = LoggerFactory.getLogger(Contacts.class);

    private final IdentitySettings settings;
    private final Keys keys;
    private final Survivorship survivorship;
    private final Statistics statistics = new Statistics();
    /** Set once this process saw the stored contacts resolved with its settings. */
    private volatile boolean current;

    public Contacts(IdentitySettings settings) {
        this.settings = settings;
        this.keys = new Keys(settings);
        this.survivorship = new Survivorship(settings.sourcePriority());
    }

    public IdentitySettings settings() {
        return settings;
    }

    @Override
    public void changed(Connection connection, Collection<UserChange> users, OffsetDateTime now) throws SQLException {
        if (!settings.enabled()) {
            return;
        }
        if (!current) {
            String stored = storedFingerprint(connection);
            if (!settings.fingerprint().equals(stored)) {
                LOG.info("contacts: resolving every user again ({}), in this page's transaction",
                        stored == null ? "the first time" : "the identity settings changed");
                rebuild(connection, now);
                return;
            }
            current = true;
        }
        Statistics.planFresh(connection);
        statistics.wrote(connection, new Incremental(connection, keys, settings, survivorship, now).resolve(users));
    }

    /**
     * Resolves every live user again from scratch, in the caller's transaction (which holds the outbox lock), and
     * records the settings it used. A rebuild of contacts that are in step changes no row.
     */
    public RebuildResult rebuild(Connection connection, OffsetDateTime now) throws SQLException {
        RebuildResult result = new Rebuild(connection, keys, settings, survivorship, now).run();
        storeFingerprint(connection);
        current = true;
        return result;
    }

    /** What a rebuild found and changed. */
    public record RebuildResult(long users, long contacts, long membersWritten, long contactsWritten) {
    }

    private static String storedFingerprint(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT fingerprint FROM contact_settings WHERE id = 1");
             ResultSet rows = select.executeQuery()) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    private void storeFingerprint(Connection connection) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM contact_settings WHERE id = 1")) {
            delete.executeUpdate();
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO contact_settings (id, fingerprint) VALUES (1, ?)")) {
            insert.setString(1, settings.fingerprint());
            insert.executeUpdate();
        }
    }

    static String placeholders(Collection<?> values) {
        return "?, ".repeat(values.size() - 1) + "?";
    }
}
