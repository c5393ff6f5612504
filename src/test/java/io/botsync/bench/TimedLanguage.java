package io.botsync.bench;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.botsync.mapping.Mapping;
import io.botsync.mapping.MappingException;
import io.botsync.mapping.MappingLanguage;
import io.botsync.mapping.RejectedException;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * A mapping language that also adds up the time spent inside its mappings, so the benchmark can tell the mapping's
 * share of a real sync. Selected with {@code botsync.mappings.language} = {@code timed-jslt} or
 * {@code timed-jsonata} (registered for tests only).
 */
abstract class TimedLanguage implements MappingLanguage {

    private final LongAdder nanos;

    TimedLanguage(LongAdder nanos) {
        this.nanos = nanos;
    }

    abstract Mapping compileUntimed(String file, String text);

    @Override
    public Mapping compile(String file, String text) {
        Mapping mapping = compileUntimed(file, text);
        return new Mapping() {
            @Override
            public String file() {
                return mapping.file();
            }

            @Override
            public JsonNode apply(JsonNode record) {
                long start = System.nanoTime();
                try {
                    return mapping.apply(record);
                } finally {
                    nanos.add(System.nanoTime() - start);
                }
            }
        };
    }

    static Duration spent(LongAdder nanos) {
        return Duration.ofNanos(nanos.sumThenReset());
    }

    /** The shipped language, JSLT. */
    public static final class TimedJslt extends TimedLanguage {

        static final LongAdder NANOS = new LongAdder();

        public TimedJslt() {
            super(NANOS);
        }

        @Override
        public String name() {
            return "timed-jslt";
        }

        @Override
        public String extension() {
            return ".jslt";
        }

        @Override
        Mapping compileUntimed(String file, String text) {
            return new MappingLanguage.Jslt().compile(file, text);
        }
    }

    /**
     * JSONata (com.dashjoin:jsonata), which evaluates over Java maps and lists: each record is converted from and to
     * Jackson's tree, as it would have to be in the pipeline.
     */
    public static final class TimedJsonata extends TimedLanguage {

        static final LongAdder NANOS = new LongAdder();
        private static final ObjectMapper JSON = new ObjectMapper();

        public TimedJsonata() {
            super(NANOS);
        }

        @Override
        public String name() {
            return "timed-jsonata";
        }

        @Override
        public String extension() {
            return ".jsonata";
        }

        @Override
        Mapping compileUntimed(String file, String text) {
            Jsonata expression;
            try {
                expression = Jsonata.jsonata(text);
            } catch (JException e) {
                throw new MappingException(file + " at character " + e.getLocation() + ": " + e.getMessage(), e);
            }
            return new Mapping() {
                @Override
                public String file() {
                    return file;
                }

                @Override
                public JsonNode apply(JsonNode record) {
                    try {
                        return JSON.valueToTree(expression.evaluate(JSON.convertValue(record, Object.class)));
                    } catch (JException e) {
                        throw new RejectedException("mapping " + file + " failed: " + e.getMessage());
                    }
                }
            };
        }
    }
}
