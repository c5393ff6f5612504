package io.botsync.source;

import io.botsync.model.CanonicalUser;

/**
 * The write side of a platform, for push targets: create or update one user there. Implementations live in
 * the platform's package, next to its reader, and make every call through {@link PlatformHttp}.
 *
 * <p>Both methods throw {@link UserRejectedException} when the platform refuses this user (its data, or a
 * platform id that no longer exists), and {@link SourceException} when the platform cannot be reached or refuses
 * botsync itself (credentials): the first is the user's problem, the second everyone's.
 */
public interface UserWriter {

    /** Creates the user on the platform (or adopts the platform's user it already matches) and answers its id there. */
    String create(CanonicalUser user);

    /** Makes the platform's user {@code platformId} hold this user's values. */
    void update(String platformId, CanonicalUser user);
}
