package io.botsync.sim.instabot;

import io.botsync.sim.PlatformSimulator;

/** Starts {@link InstabotSimulator}s. Found with {@link java.util.ServiceLoader}. */
public final class InstabotSimulatorFactory implements PlatformSimulator.Factory {

    @Override
    public String platform() {
        return "instabot";
    }

    @Override
    public PlatformSimulator start(int users, long seed) {
        return new InstabotSimulator(users, seed);
    }
}
