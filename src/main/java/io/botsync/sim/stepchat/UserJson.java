package io.botsync.sim.stepchat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.sim.SimServer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/** Renders a user as StepChat does, per request: ids as text, dates as {@code YYYY-MM-DD HH:MM:SS} UTC. */
final class UserJson {

    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private UserJson() {
    }

    static String date(long epochSeconds) {
        return DATE.format(Instant.ofEpochSecond(epochSeconds));
    }

    /** The full object of {@code get-user} / {@code get-users}: it carries the login token and password too. */
    static ObjectNode full(SimUser user, Written fields, boolean extra) {
        ObjectNode node = SimServer.JSON.createObjectNode();
        node.put("id", String.valueOf(user.id()));
        node.put("first_name", fields.firstName());
        node.put("last_name", fields.lastName());
        node.put("email", fields.email());
        node.put("profile_image", fields.profileImage());
        node.put("user_type", user.type());
        node.put("creation_time", date(user.created()));
        node.put("last_activity", fields.rawActivity() != null ? fields.rawActivity() : date(user.lastActivity()));
        node.put("department", fields.department());
        node.put("token", fields.loginToken());
        node.put("password", fields.password());
        if (extra) {
            ArrayNode details = node.putArray("details");
            for (Map.Entry<String, String[]> detail : fields.details().entrySet()) {
                details.addObject()
                        .put("slug", detail.getKey())
                        .put("name", detail.getValue()[1])
                        .put("value", detail.getValue()[0]);
            }
        }
        return node;
    }

    /** The short object of {@code get-user-by}. */
    static ObjectNode brief(SimUser user, Written fields) {
        ObjectNode node = SimServer.JSON.createObjectNode();
        node.put("id", String.valueOf(user.id()));
        node.put("first_name", fields.firstName());
        node.put("last_name", fields.lastName());
        node.put("email", fields.email());
        node.put("user_type", user.type());
        node.put("department", fields.department());
        return node;
    }
}
