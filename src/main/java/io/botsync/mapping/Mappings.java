package io.botsync.mapping;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds a platform's mapping: {@code <dir>/<platform>.jslt} when ops keep one there, else the default that
 * ships inside the jar. {@link #check} compiles them at start-up, so a syntax error stops botsync before any
 * sync. The text is read again when a sync starts and compiled only when it changed: an ops edit takes effect
 * on the next run, and an unchanged file is compiled once.
 */
public final class Mappings {

    private final Path dir;
    private final MappingLanguage language;
    private final Map<String, Compiled> compiled = new ConcurrentHashMap<>();

    /** A file's text and what it compiled to. */
    private record Compiled(String file, String text, Mapping mapping) {
    }

    /** @param dir the ops' mappings folder ({@code botsync.mappings.dir}); it need not exist */
    public Mappings(Path dir) {
        this(dir, new MappingLanguage.Jslt());
    }

    public Mappings(Path dir, MappingLanguage language) {
        this.dir = dir;
        this.language = language;
    }

    /**
     * Compiles the mapping of every platform named.
     *
     * @throws MappingException for the first that does not compile, naming the file and the position
     */
    public void check(Collection<String> platforms) {
        platforms.forEach(this::forPlatform);
    }

    /** Whether a mapping of this name exists: an ops file, or one shipped inside the jar. */
    public boolean exists(String name) {
        String file = name + language.extension();
        return Files.isRegularFile(dir.resolve(file)) || Mappings.class.getResource("/mappings/" + file) != null;
    }

    /**
     * The platform's mapping as its file reads now.
     *
     * @throws MappingException when the file is missing, unreadable or does not compile
     */
    public Mapping forPlatform(String platform) {
        String name = platform + language.extension();
        Path file = dir.resolve(name);
        String where;
        String text;
        if (Files.isRegularFile(file)) {
            where = file.toString();
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new MappingException("cannot read " + file + ": " + e.getMessage(), e);
            }
        } else {
            where = "(built-in) mappings/" + name;
            text = builtIn(name, file, platform);
        }
        Compiled known = compiled.get(platform);
        if (known != null && known.file().equals(where) && known.text().equals(text)) {
            return known.mapping();
        }
        Mapping mapping = language.compile(where, text);
        compiled.put(platform, new Compiled(where, text, mapping));
        return mapping;
    }

    private static String builtIn(String name, Path file, String platform) {
        try (InputStream in = Mappings.class.getResourceAsStream("/mappings/" + name)) {
            if (in == null) {
                throw new MappingException("no mapping for platform " + platform + ": put one at " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
