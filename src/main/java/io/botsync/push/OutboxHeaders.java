package io.botsync.push;

/** The headers and properties of a batch's exchange from {@code botsync:outbox}. */
public final class OutboxHeaders {

    /** The push target: the outbox endpoint's name. */
    public static final String TARGET = "CamelBotsyncTarget";
    /** The batch's change ids, in order (a {@code List<Long>}). */
    public static final String CHANGE_IDS = "CamelBotsyncChangeIds";
    /** {@code first} or {@code first-last}: the same whenever the same changes are delivered again. */
    public static final String IDEMPOTENCY_KEY = "CamelBotsyncIdempotencyKey";
    /** How many changes the batch holds. */
    public static final String CHANGES = "CamelBotsyncChanges";

    /** Exchange property: the batch itself, for {@code botsync:park} whatever the route made of the body. */
    static final String BATCH = "CamelBotsyncChangeBatch";
    /** Exchange property set by the parking steps: the ids of the batch's changes they parked (a {@code List<Long>}). */
    static final String PARKED = "CamelBotsyncParked";

    /** Exchange property set by an outbound mapping: the ids of the changes it left out (a {@code List<Long>}). */
    static final String LEFT_OUT = "CamelBotsyncLeftOut";

    private OutboxHeaders() {
    }
}
