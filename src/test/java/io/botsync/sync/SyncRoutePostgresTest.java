package io.botsync.sync;

/** The sync route's guarantees with steps between its stages, on PostgreSQL. */
class SyncRoutePostgresTest extends SyncRouteGuarantees {

    @Override
    String database() {
        return "postgresql";
    }
}
