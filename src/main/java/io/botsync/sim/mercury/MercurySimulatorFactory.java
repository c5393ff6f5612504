package io.botsync.sim.mercury;

import io.botsync.sim.PlatformSimulator;

/** Starts {@link MercurySimulator}s; found with {@link java.util.ServiceLoader}. */
public final class MercurySimulatorFactory implements PlatformSimulator.Factory {

    @Override
    public String platform() {
        return "mercury";
    }

    @Override
    public PlatformSimulator start(int users, long seed) {
        return new MercurySimulator(users, seed);
    }
}
