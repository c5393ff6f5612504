package io.botsync.imports;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;

/**
 * A JSON array of user objects (an Instabot or Mercury export), read element by element with Jackson's streaming
 * parser. An element that is not an object is rejected with its line; broken JSON ends the import, since nothing
 * after it can be trusted to be where it seems.
 */
final class JsonArrayReader implements RecordReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonParser parser;
    private boolean started;

    JsonArrayReader(Reader reader) throws IOException {
        this.parser = JSON.createParser(reader);
    }

    @Override
    public FileRecord next() throws IOException {
        try {
            if (!started) {
                started = true;
                if (parser.nextToken() != JsonToken.START_ARRAY) {
                    throw new ImportException("line " + line() + ": a JSON export must be an array of user objects");
                }
            }
            JsonToken token = parser.nextToken();
            if (token == JsonToken.END_ARRAY) {
                return null;
            }
            long line = line();
            JsonNode element = parser.readValueAsTree();
            return element instanceof ObjectNode record ? FileRecord.of(line, record)
                    : FileRecord.unreadable(line, "not a JSON object", String.valueOf(element));
        } catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? line() : e.getLocation().getLineNr();
            throw new ImportException("line " + line + ": broken JSON (" + e.getOriginalMessage()
                    + "); nothing after it was imported", e);
        }
    }

    private long line() {
        return parser.currentTokenLocation().getLineNr();
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
