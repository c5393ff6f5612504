package io.botsync.warehouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A page as it is landed in {@code raw_page}: its records (already free of secrets) as a GZIP-compressed JSON
 * array, and the request that fetched it (described without secrets).
 */
public record RawPage(String request, Instant fetchedAt, int records, byte[] payload) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Compresses a page's records; called on the fetching thread, so the writer only inserts bytes. */
    public static RawPage of(List<ObjectNode> records, String request, Instant fetchedAt) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // the fastest level: pages are compressed on the pipeline's path, and it still shrinks JSON about fivefold
        try (OutputStream gzip = new GZIPOutputStream(bytes) {{ def.setLevel(Deflater.BEST_SPEED); }}) {
            JSON.writeValue(gzip, records);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new RawPage(request, fetchedAt, records.size(), bytes.toByteArray());
    }

    /** SHA-256 of the payload, in hex: equal for the same records compressed the same way. */
    String digest() {
        return Digests.sha256(payload);
    }

    /** The landed records, as the reader handed them over. */
    public List<ObjectNode> decode() {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(payload))) {
            ArrayNode array = (ArrayNode) JSON.readTree(in);
            List<ObjectNode> result = new ArrayList<>(array.size());
            for (JsonNode record : array) {
                result.add((ObjectNode) record);
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("a landed page cannot be read: " + e.getMessage(), e);
        }
    }
}
