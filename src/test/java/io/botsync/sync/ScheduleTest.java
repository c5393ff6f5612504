package io.botsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

/** When a source is late: its schedule's second firing after its last successful sync (README, Commands, Status). */
class ScheduleTest {

    private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

    @Test
    void everyFifteenMinutesASuccessAtTenIsLateFromHalfPast() {
        Schedule schedule = Schedule.cron("0 0/15 * * * ?", UTC);

        assertEquals(Instant.parse("2026-12-02T10:30:00Z"), schedule.lateFrom(Instant.parse("2026-12-02T10:00:05Z")));
        // a run that took longer than an interval and finished after the next firing: counted from its end
        assertEquals(Instant.parse("2026-12-02T10:45:00Z"), schedule.lateFrom(Instant.parse("2026-12-02T10:16:40Z")));
        assertEquals("0 0/15 * * * ?", schedule.toString());
    }

    @Test
    void anIrregularCronUsesItsOwnFirings() {
        // weekdays at 9: a success on Friday is late from Tuesday 9:00, not from Saturday
        Schedule weekdays = Schedule.cron("0 0 9 ? * MON-FRI", UTC);

        assertEquals(Instant.parse("2026-12-08T09:00:00Z"), weekdays.lateFrom(Instant.parse("2026-12-04T09:00:07Z")));
    }

    @Test
    void aFixedDelayIsLateAfterTwoDelays() {
        Schedule every = Schedule.every(Duration.ofMinutes(15));

        assertEquals(Instant.parse("2026-12-02T10:30:05Z"), every.lateFrom(Instant.parse("2026-12-02T10:00:05Z")));
        assertEquals("every 15m", every.toString());
    }
}
