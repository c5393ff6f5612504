package io.botsync.sim.instabot;

/**
 * What the simulator keeps of one generated user: about 40 bytes, so a million users fit easily. Everything
 * else (names, email, phone, properties) is derived from the seed, the id and the version when a request
 * renders the user; users written through the API keep their written fields in {@link WrittenFields}.
 *
 * @param createTicks .NET-style ticks: 100 ns units since the Unix epoch (Instabot stamps 7 fractional digits)
 * @param version     bumped by every change; a new version renders a new email and name
 * @param type        index into {@link UserRenderer#USER_TYPES}
 */
record SimUser(long objectId, long createTicks, long updateTicks, int version, byte type, boolean deleted) {

    SimUser changed(long now) {
        return new SimUser(objectId, createTicks, now, version + 1, type, deleted);
    }

    SimUser deleted(boolean gone, long now) {
        return new SimUser(objectId, createTicks, now, version, type, gone);
    }
}
