package io.botsync.sync;

/** The sync route's guarantees with steps between its stages, on embedded H2. */
class SyncRouteH2Test extends SyncRouteGuarantees {

    @Override
    String database() {
        return "h2";
    }
}
