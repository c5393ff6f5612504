package io.botsync.alerts;

import io.botsync.config.SettingKind;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.apache.camel.util.TimeUtils;

/**
 * The {@code botsync.alerts.*} settings. Alerts are on once {@code botsync.alerts.webhook} is set.
 *
 * @param rejectedShare a succeeded run rejecting more than this share of the records it fetched alerts (0: never)
 * @param volumeDrop    a succeeded run fetching less than this share of the median of its mode's last succeeded runs
 *                      alerts (0: never)
 * @param interval      how often the sources' freshness and the targets' waiting changes are looked at (both turn late
 *                      with time, not with a run)
 * @param pushLate      a push target whose oldest waiting change has waited longer than this is late (zero: never)
 */
public record AlertSettings(String webhook, Format format, double rejectedShare, double volumeDrop, Duration interval,
                            Duration pushLate, int maxRedeliveries, long redeliveryDelay, long maxRedeliveryDelay) {

    /** The body of a message: the text alone, or Slack's incoming-webhook JSON {@code {"text": ...}}. */
    public enum Format { PLAIN, SLACK }

    /** Empty when no webhook is set. */
    public static Optional<AlertSettings> from(Function<String, String> properties) {
        String webhook = properties.apply("botsync.alerts.webhook");
        if (webhook == null || webhook.isBlank()) {
            return Optional.empty();
        }
        // every value's kind was checked at start-up (KnownKeys): a format is plain or slack, a share reads, ...
        return Optional.of(new AlertSettings(webhook.strip(),
                Format.valueOf(value(properties, "botsync.alerts.format", "plain").toUpperCase(Locale.ROOT)),
                SettingKind.share(value(properties, "botsync.alerts.rejected-share", "0")),
                SettingKind.share(value(properties, "botsync.alerts.volume-drop", "0")),
                Duration.ofMillis(TimeUtils.toMilliSeconds(value(properties, "botsync.alerts.interval", "30s"))),
                Duration.ofMillis(TimeUtils.toMilliSeconds(value(properties, "botsync.alerts.push-late", "0"))),
                Integer.parseInt(value(properties, "botsync.alerts.max-redeliveries", "4")),
                Long.parseLong(value(properties, "botsync.alerts.redelivery-delay", "1000")),
                Long.parseLong(value(properties, "botsync.alerts.max-redelivery-delay", "60000"))));
    }

    /** The webhook as logs may name it: scheme, host and port; its path is often its secret (Slack's is). */
    public String shownWebhook() {
        URI uri = URI.create(webhook);
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + "/...";
    }

    private static String value(Function<String, String> properties, String key, String otherwise) {
        String value = properties.apply(key);
        return value == null || value.isBlank() ? otherwise : value.strip();
    }
}
