package io.botsync.mapping;

import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * A language mapping files are written in: botsync ships JSLT ({@code jslt}); the mapping benchmark adds JSONata in
 * test scope to measure it in the real pipeline. Found with {@link ServiceLoader} by {@code botsync.mappings.language}.
 */
public interface MappingLanguage {

    /** The name {@code botsync.mappings.language} selects: {@code jslt}. */
    String name();

    /** The file suffix of a platform's mapping: {@code .jslt}. */
    String extension();

    /** @throws MappingException for a syntax error, naming the file and the position */
    Mapping compile(String file, String text);

    /** @throws MappingException naming the languages there are */
    static MappingLanguage named(String name) {
        ServiceLoader<MappingLanguage> languages = ServiceLoader.load(MappingLanguage.class);
        for (MappingLanguage language : languages) {
            if (language.name().equalsIgnoreCase(name.trim())) {
                return language;
            }
        }
        throw new MappingException("botsync.mappings.language is '" + name + "': set it to one of "
                + languages.stream().map(p -> p.get().name()).collect(Collectors.joining(", ")));
    }

    /** JSLT, the language of the shipped mappings. */
    final class Jslt implements MappingLanguage {

        @Override
        public String name() {
            return "jslt";
        }

        @Override
        public String extension() {
            return ".jslt";
        }

        @Override
        public Mapping compile(String file, String text) {
            return JsltMapping.compile(file, text);
        }
    }
}
