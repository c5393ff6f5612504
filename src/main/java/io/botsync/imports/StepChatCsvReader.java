package io.botsync.imports;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.Reader;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * StepChat's {@code csv-users} export, row by row (Jackson's CSV parser: quotes, commas and line breaks inside
 * fields). Each row becomes the user object {@code get-users extra=true} returns, so the StepChat mapping reads it
 * unchanged: columns named after a user field ({@code ID}, {@code First Name}, {@code first_name}, {@code Type}, ...)
 * go to that field, every other column becomes a detail ({@code Phone} -> slug {@code phone}). Empty cells are absent.
 */
final class StepChatCsvReader implements RecordReader {

    private static final CsvMapper CSV = new CsvMapper();
    /** Header (lower-case, spaces to underscores) to the user field it names, where the two differ. */
    private static final Map<String, String> FIELD_ALIASES = Map.of("type", "user_type");
    private static final List<String> USER_FIELDS = List.of("id", "first_name", "last_name", "email", "profile_image",
            "user_type", "creation_time", "last_activity", "department");

    private final MappingIterator<String[]> rows;
    private String[] header;

    StepChatCsvReader(Reader reader) throws IOException {
        this.rows = CSV.readerFor(String[].class).with(CsvParser.Feature.WRAP_AS_ARRAY).readValues(reader);
    }

    @Override
    public FileRecord next() throws IOException {
        try {
            if (header == null) {
                if (!rows.hasNextValue()) {
                    return null;
                }
                header = rows.nextValue();
            }
            if (!rows.hasNextValue()) {
                return null;
            }
            long line = rows.getCurrentLocation().getLineNr();
            String[] row = rows.nextValue();
            if (row.length != header.length) {
                return FileRecord.unreadable(line, row.length + " columns where the header has " + header.length,
                        String.join(",", row));
            }
            return FileRecord.of(line, user(row));
        } catch (IOException | RuntimeException e) {
            throw new ImportException("line " + rows.getCurrentLocation().getLineNr() + ": broken CSV (" + e.getMessage()
                    + "); nothing after it was imported", e);
        }
    }

    private ObjectNode user(String[] row) {
        ObjectNode user = JsonNodeFactory.instance.objectNode();
        ArrayNode details = user.putArray("details");
        for (int i = 0; i < header.length; i++) {
            String value = row[i];
            if (value == null || value.isEmpty()) {
                continue;
            }
            String name = header[i].strip();
            String key = name.toLowerCase(Locale.ROOT).replaceAll("[\\s-]+", "_");
            key = FIELD_ALIASES.getOrDefault(key, key);
            if (FileRecord.SECRETS.contains(key)) {
                continue;
            }
            if (USER_FIELDS.contains(key)) {
                user.put(key, value);
            } else {
                details.addObject().put("slug", key).put("name", name).put("value", value);
            }
        }
        return user;
    }

    @Override
    public void close() throws IOException {
        rows.close();
    }
}
