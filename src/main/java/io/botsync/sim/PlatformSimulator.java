package io.botsync.sim;

import java.util.Map;

/**
 * A running imitation of one platform on loopback, holding generated users. Simulators are part of the
 * product: {@code demo}, the tests and the benchmark run against them, so they answer exactly as the
 * platform's reference says (auth, envelopes, paging).
 */
public interface PlatformSimulator extends AutoCloseable {

    String platform();

    /**
     * The properties that point a source at this simulator, keyed by full key
     * ({@code botsync.<sourceName>.base-url}, its credentials, ...).
     */
    Map<String, String> sourceProperties(String sourceName);

    /** Changes {@code changed} existing users (a new email, a new name) and adds {@code added} new ones, as people would. */
    void mutate(int changed, int added);

    /**
     * Adds a person with the given email and phone, written as this platform's users would (the demo's people who
     * talk to several platforms).
     *
     * @return false when this simulator cannot hold a person of one's choosing (its users are derived from a seed)
     */
    default boolean addPerson(String firstName, String lastName, String email, String phone) {
        return false;
    }

    /** How many users the simulator holds now. */
    int userCount();

    /** Faults to inject into the requests this simulator receives (errors, drops, delays, cut bodies), and a hook. */
    SimFaults faults();

    @Override
    void close();

    /** Starts a simulator of one platform. Found with {@link java.util.ServiceLoader}. */
    interface Factory {

        String platform();

        /** Starts a simulator holding {@code users} users generated deterministically from {@code seed}. */
        PlatformSimulator start(int users, long seed);
    }
}
