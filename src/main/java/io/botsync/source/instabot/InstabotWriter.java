package io.botsync.source.instabot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.model.CanonicalUser;
import io.botsync.source.HttpReply;
import io.botsync.source.PlatformHttp;
import io.botsync.source.SourceConfig;
import io.botsync.source.SourceException;
import io.botsync.source.UserRejectedException;
import io.botsync.source.UserWriter;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Instabot as a push target: {@code POST /v1/users} creates, {@code PUT /v1/users/{objectId}} updates.
 *
 * <p>Creation requires {@code userName} (unique) and {@code userPassword}. The user name is
 * {@code botsync-<source>-<external id>}, stable, so that a second creation of one user is refused as a
 * {@code DuplicateObject} instead of making a twin. A create is sent once; when its answer is lost (no answer, a body
 * cut short), the push route sends it again later, and that one's {@code DuplicateObject} means the first one made the
 * user: it is looked up among the users changed since the first was sent, and adopted. The password is random, used
 * once and kept nowhere: the person signs in through Instabot's own password reset. Errors: 400/404 refuse this user
 * ({@link UserRejectedException}); 401/403 name the keys; anything else (5xx, no answer) is the platform's.
 */
final class InstabotWriter implements UserWriter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SourceConfig config;
    private final InstabotRequests requests;

    InstabotWriter(SourceConfig config, PlatformHttp http) {
        this.config = config;
        this.requests = new InstabotRequests(config, http);
    }

    /** How far back a lost create is looked for: the first attempt was sent at most this long before the retry. */
    private static final Duration LOST_CREATE_WINDOW = Duration.ofHours(6);

    @Override
    public String create(CanonicalUser user) {
        String userName = "botsync-" + user.source() + "-" + user.externalId();
        ObjectNode body = fields(user);
        body.put("userName", userName);
        body.put("userPassword", password());
        HttpReply reply = requests.create(body.toString());
        if (reply.status() == 400 && reply.text().contains("DuplicateObject")) {
            return madeBefore(userName).orElseThrow(() -> new UserRejectedException(config.name() + ": Instabot has a user "
                    + userName + " already, and it was not among the users changed in the last " + LOST_CREATE_WINDOW.toHours()
                    + " hours: link it by hand (push_link) or rename it on Instabot"));
        }
        JsonNode answer = read(reply, "POST /v1/users", user);
        String objectId = answer.path("data").path("objectId").asText("");
        if (objectId.isEmpty()) {
            throw new SourceException(config.name() + ": Instabot answered POST /v1/users without data.objectId");
        }
        return objectId;
    }

    @Override
    public void update(String objectId, CanonicalUser user) {
        read(requests.update(objectId, fields(user).toString()), "PUT /v1/users/" + objectId, user);
    }

    /**
     * The objectId of the user of this name among those changed lately: the one an earlier create made before its
     * answer was lost. Instabot has no lookup by name; {@code lastUpdated} bounds the search to recent users.
     */
    private Optional<String> madeBefore(String userName) {
        String since = InstabotCursor.since(Instant.now(), LOST_CREATE_WINDOW);
        int pageSize = 100;
        for (int skip = 0; ; skip += pageSize) {
            JsonNode page = read(requests.page(InstabotRequests.LAST_UPDATED, since, pageSize, skip, r -> r),
                    "GET " + InstabotRequests.LAST_UPDATED, null);
            for (JsonNode user : page.path("data")) {
                if (userName.equals(user.path("username").asText())) {
                    return Optional.of(user.path("objectId").asText());
                }
            }
            if (!page.path("hasMoreRecords").asBoolean(false) || page.path("data").isEmpty()) {
                return Optional.empty();
            }
        }
    }

    /** The read-write fields botsync keeps: a null clears the platform's value, as the warehouse has none. */
    private static ObjectNode fields(CanonicalUser user) {
        ObjectNode body = JSON.createObjectNode();
        body.put("name", user.displayName());
        body.put("email", user.email());
        body.put("phone", user.phone());
        return body;
    }

    private JsonNode read(HttpReply reply, String request, CanonicalUser user) {
        if (reply.status() == 400 || reply.status() == 404) {
            throw new UserRejectedException(config.name() + ": Instabot refused " + request
                    + (user == null ? "" : " for " + user.source() + "/" + user.externalId())
                    + " (HTTP " + reply.status() + ": " + InstabotEnvelope.excerpt(reply, config) + ")");
        }
        if (reply.status() == 401 || reply.status() == 403) {
            throw new SourceException(config.name() + ": Instabot refused the API keys (HTTP " + reply.status() + " to "
                    + request + "); check " + InstabotEnvelope.keys(config));
        }
        if (!reply.ok()) {
            throw new SourceException(config.name() + ": Instabot answered HTTP " + reply.status() + " to " + request + ": "
                    + InstabotEnvelope.excerpt(reply, config));
        }
        try {
            JsonNode body = JSON.readTree(reply.body());
            if (body != null && "Success".equals(body.path("apiStatusCode").asText())) {
                return body;
            }
        } catch (IOException e) {
            // not JSON: reported below
        }
        throw new SourceException(config.name() + ": Instabot answered " + request + " without a Success envelope: "
                + InstabotEnvelope.excerpt(reply, config));
    }

    private static String password() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
