package io.botsync.source.stepchat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The parameters of one {@code get-users} request, and how it is described in logs (never the token). */
final class UsersQuery {

    private UsersQuery() {
    }

    /** One page of all users (of the configured types) in the given order, with their details. */
    static Map<String, String> page(StepChatSettings settings, String column, String order, int pagination) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("sorting", StepChatApi.jsonArray(List.of(column, order)));
        params.put("pagination", String.valueOf(pagination));
        params.put("extra", "true");
        params.put("user_types", StepChatApi.jsonArray(settings.userTypes()));
        return params;
    }

    /** The users with the given ids (of the configured types), with their details. */
    static Map<String, String> byIds(StepChatSettings settings, List<String> ids) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("user_ids", StepChatApi.jsonArray(ids));
        params.put("extra", "true");
        params.put("user_types", StepChatApi.jsonArray(settings.userTypes()));
        return params;
    }

    static String describe(String function, Map<String, String> params) {
        StringBuilder text = new StringBuilder("function=").append(function);
        params.forEach((key, value) -> text.append('&').append(key).append('=').append(
                key.equals("user_ids") && value.length() > 60 ? value.substring(0, 60) + "...]" : value));
        return text.toString();
    }
}
