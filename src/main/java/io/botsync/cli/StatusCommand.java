package io.botsync.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.botsync.cli.StatusReport.SourceReport;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", description = "Per source: the last run, its counts, the cursor, and whether it is ok, failed or"
        + " late. Per push target: its position, backlog and parked changes. Exit 1 when a source's last run failed or it"
        + " is late. Reads the warehouse, never creates it.")
final class StatusCommand implements Callable<Integer> {

    @Option(names = "--json", description = "print the same as one JSON object")
    boolean json;

    @Override
    public Integer call() throws IOException {
        try (Application app = Application.start(Map.of(), Application.Mode.READ_ONLY)) {
            StatusReport report = StatusReport.of(app, Instant.now());
            if (json) {
                System.out.println(new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                        .enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
            } else {
                print(report);
            }
            return report.ok() ? Botsync.OK : Botsync.SOURCE_FAILED;
        }
    }

    private static void print(StatusReport report) {
        for (SourceReport source : report.sources()) {
            String configured = source.configured() ? "" : " (not configured: set " + String.join(", ", source.missingKeys()) + ")";
            var run = source.lastRun();
            if (run == null) {
                System.out.println(source.source() + ": never synced" + configured);
                continue;
            }
            System.out.printf("%s: run %d %s %s, started %s, finished %s%s%n", source.source(), run.id(), run.mode(),
                    run.status(), run.startedAt(), run.finishedAt() == null ? "-" : run.finishedAt(), configured);
            System.out.printf("  fetched=%d inserted=%d updated=%d unchanged=%d deleted=%d rejected=%d%n",
                    run.fetched(), run.inserted(), run.updated(), run.unchanged(), run.deleted(), run.rejected());
            System.out.printf("  users=%d (deleted %d) cursor=%s%n", source.users(), source.deletedUsers(),
                    source.cursor() == null ? "-" : source.cursor());
            if (run.error() != null) {
                System.out.println("  " + (run.status().equals("skipped") ? "why" : "error") + ": " + run.error());
            }
            System.out.println("  state: " + state(source));
        }
        if (report.contacts() != null) {
            var c = report.contacts();
            System.out.printf("contacts: %d people from %d users (%d on more than one source); %d merged into others,"
                    + " %d deleted%n", c.people(), c.users(), c.acrossSources(), c.merged(), c.deleted());
        }
        for (var target : report.pushTargets()) {
            if (target.position() == null) {
                System.out.println("push " + target.target() + ": no round yet");
            } else {
                System.out.printf("push %s: position %d (backlog %d), parked %d, last moved %s%n", target.target(),
                        target.position(), target.backlog(), target.parked(), target.lastMoved());
            }
        }
        for (var node : report.nodes()) {
            System.out.printf("node %s: checked in %s (every %d s)%s, running %s%n", node.id(), node.lastCheckIn(),
                    node.checkInSeconds(), node.presumedDead() ? ", missed its check-ins: presumed dead" : "",
                    node.running().isEmpty() ? "nothing" : String.join(", ", node.running()));
        }
        List<String> wrong = report.sources().stream().filter(s -> s.state().equals(StatusReport.FAILED)
                || s.state().equals(StatusReport.LATE)).map(s -> s.source() + " " + s.state()).toList();
        System.out.println(wrong.isEmpty() ? "every source ok" : "not ok: " + String.join(", ", wrong));
    }

    /** {@code ok (schedule 0 0/15 * * * ?; last successful sync ..., late from ...)}, and why when it is not ok. */
    private static String state(SourceReport source) {
        String schedule = source.schedules().isEmpty() ? "no schedule under run" : "schedule " + String.join(" and ", source.schedules());
        String success = source.lastSyncSucceeded() == null ? "no successful sync yet" : "last successful sync " + source.lastSyncSucceeded();
        String late = source.lateFrom() == null ? "" : (source.state().equals(StatusReport.LATE) ? ", late since " : ", late from ")
                + source.lateFrom();
        String why = source.state().equals(StatusReport.FAILED) ? ": the last run that finished failed" : "";
        return source.state() + why + " (" + schedule + "; " + success + late + ")";
    }
}
