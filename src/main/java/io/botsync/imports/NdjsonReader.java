package io.botsync.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;

/** Newline-delimited JSON: one user object a line. A broken line is rejected with its number; the rest go on. */
final class NdjsonReader implements RecordReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BufferedReader lines;
    private long line;

    NdjsonReader(BufferedReader lines) {
        this.lines = lines;
    }

    @Override
    public FileRecord next() throws IOException {
        String text;
        do {
            text = lines.readLine();
            if (text == null) {
                return null;
            }
            line++;
        } while (text.isBlank());
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return FileRecord.unreadable(line, "not JSON: " + e.getOriginalMessage(), text);
        }
        return node instanceof ObjectNode record ? FileRecord.of(line, record)
                : FileRecord.unreadable(line, "not a JSON object", text);
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
