package io.botsync.config;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A properties file read line by line, so that what is wrong in it can be named with its line: what
 * {@link Properties#load} would silently take as a key (a line of random bytes, a key with a byte order mark in front,
 * a key set twice) is a problem here. Read as ISO-8859-1, as Camel's properties component reads it.
 *
 * @param entries  the keys with their values and first lines, in the file's order
 * @param problems what is wrong, each starting with the file and line
 */
public record PropertiesFile(Map<String, Entry> entries, List<String> problems) {

    /** A key's value and the line it is on. */
    public record Entry(String value, int line) {
    }

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    public static PropertiesFile read(Path file) {
        try {
            return parse(file.getFileName().toString(), Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static PropertiesFile parse(String name, byte[] bytes) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        if (bytes.length >= 3 && bytes[0] == BOM[0] && bytes[1] == BOM[1] && bytes[2] == BOM[2]) {
            problems.add(name + " line 1: the file starts with a UTF-8 byte order mark, which would become part of its"
                    + " first key: save it without one (as UTF-8 without BOM, or ASCII)");
        }
        int start = problems.isEmpty() ? 0 : BOM.length; // the rest is checked as if the mark were gone
        String[] lines = new String(bytes, start, bytes.length - start, StandardCharsets.ISO_8859_1).split("\r\n|\r|\n", -1);
        Map<String, Integer> firstLine = new HashMap<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].stripLeading();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
                continue;
            }
            int number = i + 1;
            StringBuilder logical = new StringBuilder(line);
            while (continues(logical) && i + 1 < lines.length) {
                logical.setLength(logical.length() - 1);
                logical.append(lines[++i].stripLeading());
            }
            Properties one = new Properties();
            try {
                one.load(new StringReader(logical.toString()));
            } catch (IOException | IllegalArgumentException e) { // a malformed \\uXXXX escape
                problems.add(name + " line " + number + ": " + e.getMessage() + ": write a key = value line");
                continue;
            }
            for (String key : one.stringPropertyNames()) {
                if (!KEY.matcher(key).matches()) {
                    problems.add(name + " line " + number + ": '" + printable(key) + "' is not a key: a line is"
                            + " key = value (a key of letters, digits, '.', '-' and '_'), a # comment, or blank");
                } else if (firstLine.putIfAbsent(key, number) != null) {
                    problems.add(name + " line " + number + ": " + key + " is set again (first on line "
                            + firstLine.get(key) + "): keep one of the two lines");
                } else {
                    entries.put(key, new Entry(one.getProperty(key), number));
                }
            }
        }
        return new PropertiesFile(entries, problems);
    }

    /** A line ending in an odd number of backslashes goes on in the next. */
    private static boolean continues(CharSequence line) {
        int slashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            slashes++;
        }
        return slashes % 2 == 1;
    }

    /** A key as ops can read it in a message: control and non-ASCII characters as \\uXXXX, cut at 60. */
    static String printable(String text) {
        StringBuilder shown = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (shown.length() >= 60) {
                return shown + "...";
            }
            shown.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\u%04X", (int) c));
        }
        return shown.toString();
    }
}
