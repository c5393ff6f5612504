package io.botsync.push;

import io.botsync.TestDatabases;
import io.botsync.cli.Application;
import io.botsync.sim.mercury.MercurySimulator;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A warehouse fed by the Mercury simulator (whose every run is a full scan, so deletions happen too), a webhook
 * receiver, and botsync started on them with a push target {@code crm} pointing at the receiver.
 */
final class PushFixture implements AutoCloseable {

    static final String TOKEN = "crm-secret-token-5f1e";
    /** The push routes' redeliveries here: a batch the target keeps failing is sent this many times more. */
    static final int MAX_REDELIVERIES = 2;

    final MercurySimulator mercury;
    final WebhookReceiver receiver = new WebhookReceiver();
    final String url;
    private final List<Application> apps = new ArrayList<>();

    PushFixture(String kind, int users) {
        this.mercury = new MercurySimulator(users, 11);
        this.url = TestDatabases.fresh(kind);
    }

    /** The properties botsync runs with here: the warehouse, the Mercury source, the crm webhook, fast redeliveries. */
    Map<String, String> properties(Map<String, String> extra) {
        Map<String, String> properties = new HashMap<>(mercury.sourceProperties("mercury"));
        properties.put("botsync.warehouse.url", url);
        properties.put("botsync.warehouse.user", TestDatabases.user(url));
        properties.put("botsync.push.crm.url", receiver.url());
        properties.put("botsync.push.crm.token", TOKEN);
        properties.put("botsync.push.max-redeliveries", String.valueOf(MAX_REDELIVERIES));
        properties.put("botsync.push.redelivery-delay", "5");
        properties.put("botsync.push.max-redelivery-delay", "5000");
        properties.putAll(extra);
        return properties;
    }

    Application start(Map<String, String> extra) {
        Application app = Application.start(properties(extra));
        apps.add(app);
        return app;
    }

    static long count(Application app, String sql) throws SQLException {
        return Long.parseLong(strings(app, sql).get(0));
    }

    /** The first column of every row, as text. */
    static List<String> strings(Application app, String sql) throws SQLException {
        try (Connection connection = app.warehouse().dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }

    @Override
    public void close() {
        apps.forEach(Application::close);
        receiver.close();
        mercury.close();
    }
}
