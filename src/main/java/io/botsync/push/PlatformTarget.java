package io.botsync.push;

import io.botsync.model.CanonicalUser;
import io.botsync.source.UserWriter;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A chatbot platform as a target: each user is created there once, and the id the platform gives it is kept in
 * {@code push_link} (committed right after the platform answers), so that its later changes update that same
 * user. A user is never pushed to the platform it came from (any account of it), and deletions are not pushed:
 * a platform user is never deleted by botsync.
 */
final class PlatformTarget implements PushTarget {

    private final PushSettings settings;
    private final String platform;
    private final UserWriter writer;
    private final PushStore store;
    private final Function<String, String> platformOfSource;

    PlatformTarget(PushSettings settings, String platform, UserWriter writer, PushStore store,
                   Function<String, String> platformOfSource) {
        this.settings = settings;
        this.platform = platform;
        this.writer = writer;
        this.store = store;
        this.platformOfSource = platformOfSource;
    }

    @Override
    public PushSettings settings() {
        return settings;
    }

    @Override
    public boolean takes(PushChange change) {
        String source = change.user().source();
        return !change.deleted() && settings.takesSource(source) && !platform.equals(platformOfSource.apply(source));
    }

    @Override
    public void deliver(List<PushChange> changes) {
        for (PushChange change : changes) {
            CanonicalUser user = change.user();
            Optional<String> linked = store.link(settings.target(), user);
            if (linked.isPresent()) {
                writer.update(linked.get(), user);
            } else {
                store.saveLink(settings.target(), user, writer.create(user));
            }
        }
    }
}
