package io.botsync.cli;

import io.botsync.push.PushResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "push", description = "One push round of each named target (default: every configured one): deliver the changes since its position.")
final class PushCommand implements Callable<Integer> {

    @Parameters(paramLabel = "TARGET", arity = "0..*", description = "push targets, e.g. crm")
    List<String> names = List.of();

    @Override
    public Integer call() {
        try (Application app = Application.start(Map.of())) {
            List<String> targets = names.isEmpty() ? app.push().targets().configured() : names;
            targets.forEach(name -> app.push().targets().requireConfigured(name)); // every name checked before any push
            if (targets.isEmpty()) {
                System.out.println("no push target is configured: set botsync.push.<target>.url (see README, Pushing changes)");
                return Botsync.OK;
            }
            List<PushResult> results = app.push().pushAll(targets);
            results.forEach(r -> System.out.println(r.summary()));
            return results.stream().allMatch(PushResult::ok) ? Botsync.OK : Botsync.SOURCE_FAILED;
        }
    }
}
