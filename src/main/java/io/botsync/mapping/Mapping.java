package io.botsync.mapping;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An ops-owned mapping file, compiled, that turns one platform record into the canonical fields
 * {@link Normaliser} reads. Which language the files are written in is a {@link MappingLanguage}.
 */
public interface Mapping {

    /** Where the text came from, named in errors and rejections. */
    String file();

    /** Applies the mapping to one record; an error in evaluation is the record's, reported as a {@link RejectedException}. */
    JsonNode apply(JsonNode record);

    /**
     * Compiles a JSLT mapping.
     *
     * @throws MappingException for a syntax error, naming the file, line and column
     */
    static Mapping compile(String file, String text) {
        return JsltMapping.compile(file, text);
    }
}
