package io.botsync.imports;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A file to import and its format: {@code .csv} is StepChat's {@code csv-users} export; {@code .ndjson} and
 * {@code .jsonl} are one user object a line; {@code .json} (or any other name) is a JSON array when it starts with
 * {@code [}, else NDJSON. Files are UTF-8, with or without a byte order mark.
 */
public final class ImportFile {

    public enum Format { CSV, JSON_ARRAY, NDJSON }

    private final Path path;
    private final Format format;

    private ImportFile(Path path, Format format) {
        this.path = path;
        this.format = format;
    }

    /** @throws ImportException when the file cannot be read */
    public static ImportFile of(Path path) {
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new ImportException(path + " is not a readable file");
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        Format format;
        if (name.endsWith(".csv")) {
            format = Format.CSV;
        } else if (name.endsWith(".ndjson") || name.endsWith(".jsonl")) {
            format = Format.NDJSON;
        } else {
            format = firstCharacter(path) == '[' ? Format.JSON_ARRAY : Format.NDJSON;
        }
        return new ImportFile(path, format);
    }

    public Path path() {
        return path;
    }

    public Format format() {
        return format;
    }

    /** The SHA-256 of the file's bytes: the same content is the same import, whatever the file is called. */
    public String sha256() {
        try (InputStream in = new DigestInputStream(Files.newInputStream(path), sha256Digest())) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new ImportException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Opens a streaming reader of the file's records. */
    RecordReader open() throws IOException {
        Reader text = withoutBom(path);
        return switch (format) {
            case CSV -> new StepChatCsvReader(text);
            case JSON_ARRAY -> new JsonArrayReader(text);
            case NDJSON -> new NdjsonReader(new BufferedReader(text));
        };
    }

    private static Reader withoutBom(Path path) throws IOException {
        PushbackReader reader = new PushbackReader(Files.newBufferedReader(path, StandardCharsets.UTF_8));
        int first = reader.read();
        if (first != -1 && first != '\uFEFF') {
            reader.unread(first);
        }
        return reader;
    }

    private static int firstCharacter(Path path) {
        try (Reader reader = withoutBom(path)) {
            int c;
            do {
                c = reader.read();
            } while (c != -1 && Character.isWhitespace(c));
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
