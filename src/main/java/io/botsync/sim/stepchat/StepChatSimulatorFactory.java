package io.botsync.sim.stepchat;

import io.botsync.sim.PlatformSimulator;

/** Found by {@link java.util.ServiceLoader}: starts a {@link StepChatSimulator}. */
public final class StepChatSimulatorFactory implements PlatformSimulator.Factory {

    @Override
    public String platform() {
        return "stepchat";
    }

    @Override
    public PlatformSimulator start(int users, long seed) {
        return StepChatSimulator.start(users, seed);
    }
}
