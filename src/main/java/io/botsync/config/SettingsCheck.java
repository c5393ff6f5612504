package io.botsync.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * The check of every setting at start-up, before botsync touches the warehouse or a platform: each key given is one
 * botsync knows (else the nearest known key is suggested), and each value is of its key's kind. Keys come from the
 * properties file (named with its line), {@code -D} system properties and {@code BOTSYNC_*} environment variables;
 * the values checked are those Camel resolves, whichever of them set it.
 */
public final class SettingsCheck {

    /** Environment variables logback.xml reads (the log levels and format), not settings. */
    private static final Set<String> LOGGING_VARIABLES = Set.of("BOTSYNC_LOG_LEVEL", "BOTSYNC_CAMEL_LOG_LEVEL",
            "BOTSYNC_LOG_FORMAT");
    /** The appenders of logback.xml that BOTSYNC_LOG_FORMAT names. */
    private static final Set<String> LOG_FORMATS = Set.of("text", "json");
    private static final int MAX_SUGGESTION_DISTANCE = 6;

    private final KnownKeys known;
    private final Function<String, String> resolve;
    private final List<String> problems = new ArrayList<>();
    /** Where each key given was set, for the messages. */
    private final Map<String, String> origins = new LinkedHashMap<>();

    public SettingsCheck(KnownKeys known, Function<String, String> resolve) {
        this.known = known;
        this.resolve = resolve;
    }

    /** The keys of ops' properties file, and what is wrong with its lines. */
    public SettingsCheck file(PropertiesFile file, String name) {
        problems.addAll(file.problems());
        file.entries().forEach((key, entry) -> {
            String origin = name + " line " + entry.line();
            origins.putIfAbsent(key, origin);
            if (known.kind(key).isPresent() || key.startsWith("camel.")) {
                return; // Camel checks its own keys
            }
            if (key.startsWith("botsync.")) {
                unknown(key, origin);
            } else {
                problems.add(origin + ": " + PropertiesFile.printable(key) + " is not a key botsync, Camel or a route file"
                        + " reads: remove the line, or make it a # comment");
            }
        });
        return this;
    }

    /** Keys given as {@code -D} system properties. */
    public SettingsCheck systemProperties(Set<String> keys) {
        keys.stream().filter(key -> key.startsWith("botsync.")).sorted().forEach(key -> {
            origins.putIfAbsent(key, "-D" + key);
            if (known.kind(key).isEmpty()) {
                unknown(key, "-D" + key);
            }
        });
        return this;
    }

    /** Keys given as environment variables: {@code BOTSYNC_INSTABOT_API_KEY} for botsync.instabot.api-key. */
    public SettingsCheck environment(Set<String> variables) {
        Map<String, String> byVariable = new LinkedHashMap<>();
        known.keys().forEach(key -> byVariable.putIfAbsent(variable(key), key));
        variables.stream().filter(name -> name.startsWith("BOTSYNC_") && !LOGGING_VARIABLES.contains(name)).sorted()
                .forEach(name -> {
                    String key = byVariable.get(name);
                    if (key == null) {
                        String guess = name.toLowerCase(Locale.ROOT).replace('_', '.');
                        problems.add("the environment variable " + name + " is not a setting botsync knows"
                                + nearest(guess).map(near -> ": did you mean " + variable(near) + " (" + near + ")?")
                                .orElse(": remove it (README, Configuration lists the keys)"));
                    } else {
                        origins.putIfAbsent(key, "environment variable " + name);
                    }
                });
        return this;
    }

    /**
     * The log format, as logback.xml read it: BOTSYNC_LOG_FORMAT, a {@code -D} property or else an environment variable.
     * Any other value than text or json names no appender, and logback would log nothing.
     */
    public SettingsCheck logFormat(String value) {
        if (value != null && !LOG_FORMATS.contains(value)) {
            problems.add("BOTSYNC_LOG_FORMAT is '" + PropertiesFile.printable(value) + "': set it to text or json");
        }
        return this;
    }

    /** Checks the value of every key botsync knows, as Camel resolves it. */
    public List<String> problems() {
        List<String> all = new ArrayList<>(problems);
        for (String key : known.keys()) {
            SettingKind kind = known.kind(key).orElseThrow();
            String value = resolve.apply(key);
            if (value != null) {
                kind.problem(value).ifPresent(expected -> all.add(key + " is '" + PropertiesFile.printable(value) + "'"
                        + Optional.ofNullable(origins.get(key)).map(o -> " (" + o + ")").orElse("")
                        + ": set it to " + expected + " (" + variable(key) + ")"));
            }
        }
        return all;
    }

    private void unknown(String key, String origin) {
        problems.add(origin + ": " + PropertiesFile.printable(key) + " is not a setting botsync knows"
                + nearest(key).map(near -> ": did you mean " + near + "?").orElse(": remove it (README, Configuration lists the keys)"));
    }

    private Optional<String> nearest(String key) {
        LevenshteinDistance distance = new LevenshteinDistance(MAX_SUGGESTION_DISTANCE);
        return known.keys().stream().filter(k -> k.startsWith("botsync."))
                .map(k -> Map.entry(k, distance.apply(k, key))).filter(e -> e.getValue() >= 0)
                .min(Comparator.comparingInt(Map.Entry::getValue)).map(Map.Entry::getKey);
    }

    /** The environment variable of a key: upper case, '.' and '-' as '_'. */
    public static String variable(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
