package io.botsync.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.mapping.Mapping;
import io.botsync.mapping.Normaliser;
import io.botsync.mapping.RejectedException;
import io.botsync.model.CanonicalUser;
import io.botsync.model.Rejection;
import java.util.ArrayList;
import java.util.List;

/** Maps every record of a page: the good ones become canonical users, each bad one a rejection with its reason. */
final class PageMapper {

    private final Normaliser normaliser = new Normaliser();

    record Mapped(List<CanonicalUser> users, List<Rejection> rejections) {
    }

    Mapped map(String source, Mapping mapping, List<ObjectNode> records) {
        List<CanonicalUser> users = new ArrayList<>(records.size());
        List<Rejection> rejections = new ArrayList<>();
        for (ObjectNode record : records) {
            JsonNode mapped = null;
            try {
                mapped = mapping.apply(record);
                users.add(normaliser.normalise(source, mapped));
            } catch (RejectedException e) {
                rejections.add(new Rejection(idOf(mapped), e.getMessage(), record.toString()));
            } catch (RuntimeException e) {
                // A mapping function can fail in ways JSLT does not wrap; it is still this record's fault alone.
                rejections.add(new Rejection(idOf(mapped), "mapping " + mapping.file() + " failed: " + e, record.toString()));
            }
        }
        return new Mapped(users, rejections);
    }

    private static String idOf(JsonNode mapped) {
        JsonNode id = mapped == null ? null : mapped.get("external_id");
        return id != null && id.isValueNode() && !id.isNull() ? id.asText() : null;
    }
}
