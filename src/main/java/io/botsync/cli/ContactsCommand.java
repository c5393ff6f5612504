package io.botsync.cli;

import io.botsync.identity.ContactQueries;
import io.botsync.identity.Contacts;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "contacts", description = "The people the users resolve to: rebuild them from the users, or show one.",
        subcommands = {ContactsCommand.Rebuild.class, ContactsCommand.Show.class})
final class ContactsCommand {

    @Command(name = "rebuild", description = "Resolves every live user into contacts again from scratch (ids kept where the"
            + " rules keep them); contacts that are in step are left as they are.")
    static final class Rebuild implements Callable<Integer> {

        @Option(names = "--dry-run", description = "Say what a rebuild would change, and change nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            try (Application app = Application.start(Map.of(), dryRun ? Application.Mode.READ_ONLY : Application.Mode.COMMAND)) {
                Contacts contacts = app.contacts();
                if (!contacts.settings().enabled()) {
                    System.out.println("contacts are off (botsync.identity.enabled = false): nothing to rebuild");
                    return Botsync.BAD_CONFIG;
                }
                Contacts.RebuildResult result = app.warehouse().underWriterLock(
                        connection -> contacts.rebuild(connection, OffsetDateTime.now()), !dryRun);
                System.out.printf("%s %d live users into %d contacts: %d member rows and %d contacts %s%n",
                        dryRun ? "dry run: resolving" : "resolved", result.users(), result.contacts(), result.membersWritten(),
                        result.contactsWritten(), dryRun ? "would change (nothing was written)" : "changed");
                return Botsync.OK;
            }
        }
    }

    @Command(name = "show", description = "One contact: its fields and where each came from, its members and the rule that"
            + " joined each.")
    static final class Show implements Callable<Integer> {

        @Parameters(paramLabel = "EMAIL|PHONE|ID", description = "an email or phone of one of its members, or its id")
        String query;

        @Override
        public Integer call() {
            try (Application app = Application.start(Map.of(), Application.Mode.READ_ONLY)) {
                Optional<ContactQueries.Contact> found = new ContactQueries(app.warehouse(), app.contacts().settings()).find(query);
                if (found.isEmpty()) {
                    System.out.println("no contact has " + query);
                    return Botsync.SOURCE_FAILED;
                }
                print(found.get());
                return Botsync.OK;
            }
        }

        private static void print(ContactQueries.Contact contact) {
            String state = contact.mergedInto() != null ? " (merged into contact " + contact.mergedInto() + ")"
                    : contact.deleted() ? " (deleted: no live member left)" : "";
            System.out.printf("contact %d%s: %d member%s%n", contact.id(), state, contact.memberCount(),
                    contact.memberCount() == 1 ? "" : "s");
            System.out.printf("  email=%s phone=%s first_name=%s last_name=%s display_name=%s locale=%s%n", contact.email(),
                    contact.phone(), contact.firstName(), contact.lastName(), contact.displayName(), contact.locale());
            System.out.printf("  created_at=%s updated_at=%s%n", contact.createdAt(), contact.updatedAt());
            System.out.println("  fields from: " + contact.fieldSources());
            for (ContactQueries.Member member : contact.members()) {
                System.out.printf("  member %s/%s: matched on %s, joined %s (email %s, phone %s)%n", member.source(),
                        member.externalId(), member.matchedOn(), member.joinedAt(), member.email(), member.phone());
            }
        }
    }
}
