package io.botsync.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.schibsted.spt.data.jslt.Expression;
import com.schibsted.spt.data.jslt.JsltException;
import com.schibsted.spt.data.jslt.Parser;

/**
 * A mapping written in JSLT ({@code mappings/<platform>.jslt}), compiled once. JSLT was chosen over JSONata by
 * measuring both in the real pipeline (README, "Mappings").
 */
final class JsltMapping implements Mapping {

    private final String file;
    private final Expression expression;

    private JsltMapping(String file, Expression expression) {
        this.file = file;
        this.expression = expression;
    }

    /**
     * @param file where the text came from, named in errors
     * @throws MappingException for a syntax error, naming the file, line and column
     */
    static Mapping compile(String file, String text) {
        try {
            return new JsltMapping(file, Parser.compileString(text));
        } catch (JsltException e) {
            String where = e.getLine() > 0 ? " at line " + e.getLine() + ", column " + e.getColumn() : "";
            throw new MappingException(file + where + ": " + e.getMessageWithoutLocation(), e);
        } catch (RuntimeException e) {
            // JSLT's parser lets some errors of the text through unwrapped: a number literal too big for a long
            // throws NumberFormatException, quoting all its digits
            String why = String.valueOf(e.getMessage());
            throw new MappingException(file + ": the mapping does not compile: "
                    + (why.length() > 200 ? why.substring(0, 200) + "..." : why), e);
        }
    }

    @Override
    public String file() {
        return file;
    }

    @Override
    public JsonNode apply(JsonNode record) {
        try {
            return expression.apply(record);
        } catch (JsltException e) {
            throw new RejectedException("mapping " + file + " failed: " + e.getMessageWithoutLocation());
        }
    }
}
