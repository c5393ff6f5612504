package io.botsync.observe;

import io.botsync.push.PushResult;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The push rounds this process has run, per target: what the warehouse does not keep (a round leaves only the target's
 * position behind). Counted from the start of {@code run}.
 */
public final class TargetRounds {

    /** A target's rounds since the start: changes delivered, its last round, its failed rounds in a row. */
    public record Tally(long delivered, int failedInARow, PushResult last, Instant lastAt) {
    }

    private final Map<String, Tally> tallies = new ConcurrentHashMap<>();

    /** Counts a round that ended; a skipped one changes nothing (another round of the target was going on). */
    public void record(PushResult round) {
        if (round.status() == PushResult.Status.SKIPPED) {
            return;
        }
        tallies.merge(round.target(), new Tally(round.delivered(), round.ok() ? 0 : 1, round, Instant.now()),
                (before, now) -> new Tally(before.delivered() + now.delivered(),
                        round.ok() ? 0 : before.failedInARow() + 1, round, now.lastAt()));
    }

    public Optional<Tally> of(String target) {
        return Optional.ofNullable(tallies.get(target));
    }
}
