package io.botsync.sim.stepchat;

/** A function's refusal, answered as {@code {"success": false, "response": "<reason>"}} with HTTP 200. */
final class ApiError extends RuntimeException {

    ApiError(String reason) {
        super(reason, null, false, false);
    }
}
