package io.botsync.mapping;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds a platform's mapping: {@code <dir>/<platform>.jslt} when ops keep one there, else the default that
 * ships inside the jar. Read and compiled when a sync starts, so an edit takes effect on the next run.
 */
public final class Mappings {

    private final Path dir;

    /** @param dir the ops' mappings folder ({@code botsync.mappings.dir}); it need not exist */
    public Mappings(Path dir) {
        this.dir = dir;
    }

    public Mapping forPlatform(String platform) {
        String name = platform + ".jslt";
        Path file = dir.resolve(name);
        if (Files.isRegularFile(file)) {
            try {
                return Mapping.compile(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new MappingException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        try (InputStream in = Mappings.class.getResourceAsStream("/mappings/" + name)) {
            if (in == null) {
                throw new MappingException("no mapping for platform " + platform + ": put one at " + file);
            }
            return Mapping.compile("(built-in) mappings/" + name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
