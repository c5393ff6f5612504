package io.botsync.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.schibsted.spt.data.jslt.Expression;
import com.schibsted.spt.data.jslt.JsltException;
import com.schibsted.spt.data.jslt.Parser;

/**
 * An ops-owned mapping file ({@code mappings/<platform>.jslt}), compiled once, that turns one platform
 * record into the canonical fields {@link Normaliser} reads. JSLT was chosen for its compiled, allocation-light
 * evaluation over Jackson trees (see the README's mapping section).
 */
public final class Mapping {

    private final String file;
    private final Expression expression;

    private Mapping(String file, Expression expression) {
        this.file = file;
        this.expression = expression;
    }

    /**
     * @param file where the text came from, named in errors
     * @throws MappingException for a syntax error, naming the file, line and column
     */
    public static Mapping compile(String file, String text) {
        try {
            return new Mapping(file, Parser.compileString(text));
        } catch (JsltException e) {
            String where = e.getLine() > 0 ? " at line " + e.getLine() + ", column " + e.getColumn() : "";
            throw new MappingException(file + where + ": " + e.getMessageWithoutLocation(), e);
        }
    }

    public String file() {
        return file;
    }

    /** Applies the mapping to one record; an error in evaluation is the record's, reported as a {@link RejectedException}. */
    public JsonNode apply(JsonNode record) {
        try {
            return expression.apply(record);
        } catch (JsltException e) {
            throw new RejectedException("mapping " + file + " failed: " + e.getMessageWithoutLocation());
        }
    }
}
