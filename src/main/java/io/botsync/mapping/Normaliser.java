package io.botsync.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.botsync.model.CanonicalUser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Turns what a mapping produced into a {@link CanonicalUser}, the same way for every platform.
 *
 * <p>The mapping's output is an object with the fields {@code external_id, email, phone, first_name,
 * last_name, display_name, user_type, locale, created_at, updated_at} (strings, or null/absent) and
 * {@code attributes} (an object). Normalisation: email trimmed and lower-cased, blank to null; phone to its
 * digits with the leading {@code +} kept; names and types trimmed, blank to null; user type lower-case;
 * timestamps to UTC instants; attributes written with sorted keys so that the same content always hashes
 * the same. A value that does not fit its column is a rejected record, never a truncated one.
 */
public final class Normaliser {

    /** Attributes are serialised with sorted keys: the hash must not depend on the platform's key order. */
    private static final ObjectMapper SORTED = JsonMapper.builder().enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED).build();

    public CanonicalUser normalise(String source, JsonNode mapped) {
        if (mapped == null || !mapped.isObject()) {
            throw new RejectedException("the mapping produced no object");
        }
        String externalId = text(mapped, "external_id", 128);
        if (externalId == null) {
            throw new RejectedException("no external_id");
        }
        String email = lower(text(mapped, "email", 320));
        String phone = phone(text(mapped, "phone", 64));
        String firstName = text(mapped, "first_name", 200);
        String lastName = text(mapped, "last_name", 200);
        String displayName = text(mapped, "display_name", 400);
        String userType = lower(text(mapped, "user_type", 32));
        String locale = text(mapped, "locale", 16);
        Instant createdAt = instant(mapped, "created_at");
        Instant updatedAt = instant(mapped, "updated_at");
        String attributes = attributes(mapped.get("attributes"));
        return new CanonicalUser(source, externalId, email, phone, firstName, lastName, displayName, userType, locale,
                createdAt, updatedAt, attributes, contentHash(externalId, email, phone, firstName, lastName, displayName,
                userType, locale, createdAt, updatedAt, attributes));
    }

    /** The content hash of a user as normalised: what {@code content_hash} holds (the benchmark times it on its own). */
    public static String contentHash(CanonicalUser user) {
        return contentHash(user.externalId(), user.email(), user.phone(), user.firstName(), user.lastName(),
                user.displayName(), user.userType(), user.locale(), user.createdAt(), user.updatedAt(), user.attributes());
    }

    /** A scalar as trimmed text, null when absent or blank. */
    private static String text(JsonNode mapped, String field, int maxLength) {
        JsonNode node = mapped.get(field);
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (!node.isValueNode()) {
            throw new RejectedException(field + " is " + node.getNodeType().name().toLowerCase(Locale.ROOT) + ", not text");
        }
        String value = node.asText().strip();
        if (value.isEmpty()) {
            return null;
        }
        if (value.length() > maxLength) {
            throw new RejectedException(field + " is " + value.length() + " characters long, more than " + maxLength);
        }
        if (value.indexOf('\u0000') >= 0 || value.indexOf('\uFFFD') >= 0) {
            throw new RejectedException(field + " holds a NUL or an invalid UTF-8 sequence");
        }
        return value;
    }

    private static String lower(String value) {
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }

    /** Digits only, with the leading + kept when there was one; null when there are no digits. */
    static String phone(String value) {
        if (value == null) {
            return null;
        }
        StringBuilder digits = new StringBuilder(value.length());
        if (value.startsWith("+")) {
            digits.append('+');
        }
        value.chars().filter(c -> c >= '0' && c <= '9').forEach(c -> digits.append((char) c));
        int count = digits.length() - (value.startsWith("+") ? 1 : 0);
        if (count == 0) {
            return null;
        }
        if (digits.length() > 32) {
            throw new RejectedException("phone has " + count + " digits, more than fit in 32 characters");
        }
        return digits.toString();
    }

    private static Instant instant(JsonNode mapped, String field) {
        String value = text(mapped, field, 64);
        if (value == null) {
            return null;
        }
        try {
            return Timestamps.parse(value);
        } catch (IllegalArgumentException e) {
            throw new RejectedException(field + ": " + e.getMessage());
        }
    }

    private static String attributes(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "{}";
        }
        if (!node.isObject()) {
            throw new RejectedException("attributes is " + node.getNodeType().name().toLowerCase(Locale.ROOT) + ", not an object");
        }
        try {
            return SORTED.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new RejectedException("attributes cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    /** SHA-256 over the canonical content, fields separated by a byte no field can hold. Never over sync times. */
    private static String contentHash(Object... fields) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        for (Object field : fields) {
            if (field != null) {
                String text = field instanceof Instant instant ? Timestamps.iso(instant) : field.toString();
                digest.update(text.getBytes(StandardCharsets.UTF_8));
            }
            digest.update((byte) 0);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
