package io.botsync.cli;

import io.botsync.push.PushResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "push", description = "One push round of each named target (default: every target a route pushes to):"
        + " deliver the changes since its position.")
final class PushCommand implements Callable<Integer> {

    @Parameters(paramLabel = "TARGET", arity = "0..*", description = "push targets, e.g. crm")
    List<String> names = List.of();

    @Option(names = "--retry-parked", description = "send the target's parked changes again instead; those it takes now"
            + " leave push_parked")
    boolean retryParked;

    @Override
    public Integer call() {
        try (Application app = Application.start(Map.of())) {
            List<String> targets = names.isEmpty() ? app.push().targets() : names;
            targets.forEach(app::requirePushTarget); // every name checked before any push
            if (targets.isEmpty()) {
                System.out.println("no route pushes anywhere: set a target's keys, e.g. botsync.push.crm.url (README, Pushing changes)");
                return Botsync.OK;
            }
            List<PushResult> results = new ArrayList<>();
            for (String target : targets) {
                results.add(retryParked ? app.push().retryParked(target) : app.push().push(target));
            }
            results.forEach(r -> System.out.println(r.summary()));
            return results.stream().allMatch(PushResult::ok) ? Botsync.OK : Botsync.SOURCE_FAILED;
        }
    }
}
