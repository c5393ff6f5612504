package io.botsync.mapping;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

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

    /**
     * Compiles every mapping there is, for {@code check}: each platform's (ops' file or the built-in one) and every
     * other file of the language under the folder (the push targets' outbound mappings in {@code push/}), whether a
     * route uses it yet or not.
     *
     * @return the files compiled, as their messages name them
     * @throws MappingException listing every file that does not compile, each with its position
     */
    public List<String> checkAll(Collection<String> platforms) {
        Set<String> names = new TreeSet<>(platforms);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(language.extension()))
                        .map(f -> dir.relativize(f).toString().replace(java.io.File.separatorChar, '/'))
                        .forEach(f -> names.add(f.substring(0, f.length() - language.extension().length())));
            } catch (IOException e) {
                throw new MappingException("cannot list " + dir + ": " + e.getMessage(), e);
            }
        }
        List<String> problems = new ArrayList<>();
        for (String name : names) {
            try {
                forPlatform(name);
            } catch (MappingException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new MappingException(String.join("\n  ", problems));
        }
        return names.stream().map(name -> compiled.get(name).file()).toList();
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
