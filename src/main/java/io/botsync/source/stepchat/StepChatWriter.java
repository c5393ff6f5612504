package io.botsync.source.stepchat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.model.CanonicalUser;
import io.botsync.source.PlatformHttp;
import io.botsync.source.SourceConfig;
import io.botsync.source.SourceException;
import io.botsync.source.UserRejectedException;
import io.botsync.source.UserWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * StepChat as a push target: {@code add-user} creates, {@code update-user} updates. StepChat keeps emails
 * unique: when {@code add-user} answers {@code duplicate-email}, the person is already there, so
 * {@code get-user-by email} finds them and they are updated instead. Phone and locale travel as the details
 * {@code phone} and {@code language} (the ones the StepChat mapping reads back). The user type is left to
 * StepChat's default (user with an email, else visitor): other platforms' types mean nothing here.
 *
 * <p>{@code success:false} for this user's data ({@code duplicate-email} on update, {@code invalid-user-type},
 * a MySQL error) and {@code response:false} from {@code update-user} (no such user) refuse this user; a refused
 * token or an unreachable api.php stop the push.
 */
final class StepChatWriter implements UserWriter {

    private final StepChatSettings settings;
    private final StepChatApi api;

    StepChatWriter(SourceConfig config, PlatformHttp http) {
        this.settings = new StepChatSettings(config, config.require("url"), config.require("token"), null, null, null, 0, null, null);
        this.api = new StepChatApi(settings, http);
    }

    /** The detail each pushed user carries: which warehouse user it is, {@code <source>/<external id>}. */
    static final String BOTSYNC_ID = "botsync_id";

    /**
     * Creates the user, unless an earlier create did and its answer (or botsync's record of it) was lost: every pushed
     * user carries the detail {@value #BOTSYNC_ID}, which {@code get-user-by} finds it by, so a create sent again never
     * makes a twin, whether the person has an email or not.
     */
    @Override
    public String create(CanonicalUser user) {
        JsonNode made = api.call("get-user-by", Map.of("by", BOTSYNC_ID, "value", botsyncId(user)));
        if (made.isObject() && !made.path("id").asText("").isEmpty()) {
            String id = made.get("id").asText();
            update(id, user);
            return id;
        }
        Map<String, String> form = names(user);
        if (user.email() != null) {
            form.put("email", user.email());
        }
        form.put("extra", details(user));
        try {
            return api.call("add-user", form).asText();
        } catch (StepChatFailure e) {
            if (!"duplicate-email".equals(e.response())) {
                throw rejected(e, user);
            }
        }
        JsonNode existing = api.call("get-user-by", Map.of("by", "email", "value", user.email()));
        if (!existing.isObject() || existing.path("id").asText("").isEmpty()) {
            throw new UserRejectedException(settings.source() + ": StepChat says " + user.email()
                    + " is taken (duplicate-email) but get-user-by finds no such user");
        }
        String id = existing.get("id").asText();
        update(id, user);
        return id;
    }

    @Override
    public void update(String userId, CanonicalUser user) {
        Map<String, String> form = names(user);
        form.put("user_id", userId);
        form.put("email", user.email() == null ? "NULL" : user.email()); // NULL removes it, as the reference says
        form.put("settings_extra", details(user));
        JsonNode answer;
        try {
            answer = api.call("update-user", form);
        } catch (StepChatFailure e) {
            throw rejected(e, user);
        }
        if (answer.isBoolean() && !answer.asBoolean()) {
            throw new UserRejectedException(settings.source() + ": StepChat has no user " + userId + " to update for "
                    + user.source() + "/" + user.externalId());
        }
    }

    /** StepChat's first name defaults to "User" and its last name to a random number: always send both. */
    private static Map<String, String> names(CanonicalUser user) {
        Map<String, String> form = new LinkedHashMap<>();
        boolean named = user.firstName() != null || user.lastName() != null;
        form.put("first_name", named ? nonNull(user.firstName()) : nonNull(user.displayName()));
        form.put("last_name", named ? nonNull(user.lastName()) : "");
        return form;
    }

    /** {@code {"slug": ["value", "Name"]}}; an empty value removes the detail. */
    private static String details(CanonicalUser user) {
        ObjectNode details = StepChatApi.JSON.createObjectNode();
        details.putArray("phone").add(nonNull(user.phone())).add("Phone");
        details.putArray("language").add(nonNull(user.locale())).add("Language");
        details.putArray(BOTSYNC_ID).add(botsyncId(user)).add("botsync id");
        return details.toString();
    }

    private static String botsyncId(CanonicalUser user) {
        return user.source() + "/" + user.externalId();
    }

    private SourceException rejected(StepChatFailure e, CanonicalUser user) {
        return new UserRejectedException(e.getMessage() + " (pushing " + user.source() + "/" + user.externalId() + ")");
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }
}
