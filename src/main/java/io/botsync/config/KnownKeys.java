package io.botsync.config;

import static io.botsync.config.SettingKind.ACCOUNT_NAMES;
import static io.botsync.config.SettingKind.ALERT_FORMAT;
import static io.botsync.config.SettingKind.AMQP_URL;
import static io.botsync.config.SettingKind.BOOLEAN;
import static io.botsync.config.SettingKind.CRON;
import static io.botsync.config.SettingKind.DURATION;
import static io.botsync.config.SettingKind.HTTP_URL;
import static io.botsync.config.SettingKind.JDBC_URL;
import static io.botsync.config.SettingKind.POSITIVE_NUMBER;
import static io.botsync.config.SettingKind.PUSH_ENTITY;
import static io.botsync.config.SettingKind.PUSH_FROM;
import static io.botsync.config.SettingKind.SHARE;
import static io.botsync.config.SettingKind.STEPCHAT_USER_TYPES;
import static io.botsync.config.SettingKind.TEXT;
import static io.botsync.config.SettingKind.TIMESTAMP;
import static io.botsync.config.SettingKind.WHOLE_NUMBER;
import static java.util.Map.entry;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every {@code botsync.*} key there is, with its kind. The keys are those of the jar's application.properties, which
 * lists each with its default; an account's keys are its platform's ({@code botsync.instabot.*} for an Instabot
 * account); and a route file's placeholders name keys of its own (a push target of ops'). A key's kind is told by its
 * last part ({@code page-size}, {@code cron}), or by the whole key where that part means different things.
 */
public final class KnownKeys {

    private static final Map<String, SettingKind> BY_NAME = Map.ofEntries(
            entry("page-size", POSITIVE_NUMBER), entry("pages-in-flight", POSITIVE_NUMBER),
            entry("max-attempts", POSITIVE_NUMBER), entry("batch-size", POSITIVE_NUMBER),
            entry("failed-runs", POSITIVE_NUMBER), entry("users", POSITIVE_NUMBER),
            entry("retention-days", POSITIVE_NUMBER), entry("max-group-size", POSITIVE_NUMBER),
            entry("page-overlap", POSITIVE_NUMBER), entry("requests-per-second", POSITIVE_NUMBER),
            entry("max-pages", POSITIVE_NUMBER), entry("max-page-bytes", POSITIVE_NUMBER),
            entry("concurrency", POSITIVE_NUMBER), entry("rejected-share", SHARE), entry("volume-drop", SHARE),
            entry("webhook", HTTP_URL), entry("format", ALERT_FORMAT),
            entry("max-rereads", WHOLE_NUMBER), entry("max-redeliveries", WHOLE_NUMBER),
            entry("redelivery-delay", WHOLE_NUMBER), entry("max-redelivery-delay", WHOLE_NUMBER),
            entry("lookback", DURATION), entry("retry-delay", DURATION), entry("max-retry-delay", DURATION),
            entry("interval", DURATION), entry("request-deadline", DURATION), entry("push-late", DURATION),
            entry("checkin-interval", DURATION), entry("misfire-threshold", DURATION),
            entry("cron", CRON), entry("prune-cron", CRON), entry("mass-delete-share", SHARE), entry("enabled", BOOLEAN),
            entry("base-url", HTTP_URL), entry("url", HTTP_URL), entry("from", PUSH_FROM), entry("entity", PUSH_ENTITY),
            entry("user-types", STEPCHAT_USER_TYPES), entry("start-date", TIMESTAMP), entry("accounts", ACCOUNT_NAMES),
            // text: each is checked by the concern that reads it (a platform, a region, a mapping language) or is free
            entry("api-key", TEXT), entry("master-api-key", TEXT), entry("token", TEXT), entry("password", TEXT),
            entry("user", TEXT), entry("queue", TEXT), entry("project-id", TEXT), entry("dir", TEXT),
            entry("inbox", TEXT), entry("database", TEXT), entry("blocked", TEXT), entry("source-priority", TEXT),
            entry("sources", TEXT), entry("default-region", TEXT), entry("language", TEXT), entry("platform", TEXT),
            entry("auth-header", TEXT), entry("auth-scheme", TEXT), entry("stage-ids", TEXT), entry("filters", TEXT),
            entry("sort-by", TEXT));

    private static final Map<String, SettingKind> BY_KEY = Map.of(
            "botsync.warehouse.url", JDBC_URL, "botsync.push.contactsdb.url", JDBC_URL,
            "botsync.push.rabbitmq.url", AMQP_URL);

    /** {@code {{key}}}, {@code {{key:default}}} and {@code ${properties:key:default}} in a route file. */
    private static final Pattern PLACEHOLDER = Pattern.compile("(?:\\{\\{|\\$\\{properties:)([A-Za-z0-9._-]+)[:}]");
    /** An account a route file schedules: a template's {@code account} parameter. */
    private static final Pattern ACCOUNT = Pattern.compile("name:\\s*\"?account\"?\\s*\\n\\s*value:\\s*\"?([A-Za-z0-9_-]+)");

    private final Map<String, SettingKind> keys = new LinkedHashMap<>();

    /**
     * @param defaults    the jar's application.properties
     * @param platforms   the platforms' names: their keys are every account's of that platform
     * @param accounts    each account outside the properties' defaults (botsync.accounts) with its platform, or null
     *                    when it names none
     * @param routeTexts  the route files botsync loads
     */
    public KnownKeys(PropertiesFile defaults, Collection<String> platforms, Map<String, String> accounts,
                     Collection<String> routeTexts) {
        Map<String, Set<String>> platformKeys = new LinkedHashMap<>();
        for (String key : defaults.entries().keySet()) {
            keys.put(key, kindOf(key));
            for (String platform : platforms) {
                if (key.startsWith("botsync." + platform + ".")) {
                    platformKeys.computeIfAbsent(platform, p -> new LinkedHashSet<>())
                            .add(key.substring(("botsync." + platform + ".").length()));
                }
            }
        }
        Map<String, String> allAccounts = new LinkedHashMap<>(accounts);
        for (String text : routeTexts) {
            Matcher placeholder = PLACEHOLDER.matcher(text);
            while (placeholder.find()) {
                keys.putIfAbsent(placeholder.group(1), BY_KEY.getOrDefault(placeholder.group(1), TEXT));
            }
            Matcher account = ACCOUNT.matcher(text);
            while (account.find()) {
                allAccounts.putIfAbsent(account.group(1), null);
            }
        }
        allAccounts.forEach((account, platform) -> {
            Set<String> suffixes = new LinkedHashSet<>(Set.of("platform"));
            platformKeys.forEach((name, of) -> {
                if (platform == null || name.equals(platform) || account.equals(name)) {
                    suffixes.addAll(of);
                }
            });
            suffixes.forEach(suffix -> keys.putIfAbsent("botsync." + account + "." + suffix, kindOf(suffix)));
        });
    }

    /** The kind of a key of the defaults, or of an account; unknown parts are an error of the catalogue itself. */
    private static SettingKind kindOf(String key) {
        SettingKind kind = BY_KEY.get(key);
        if (kind == null) {
            kind = BY_NAME.get(key.substring(key.lastIndexOf('.') + 1));
        }
        if (kind == null && key.startsWith("botsync.")) {
            throw new IllegalStateException("application.properties has " + key + ", whose kind KnownKeys does not know");
        }
        return kind == null ? TEXT : kind;
    }

    public Optional<SettingKind> kind(String key) {
        return Optional.ofNullable(keys.get(key));
    }

    public Set<String> keys() {
        return keys.keySet();
    }
}
