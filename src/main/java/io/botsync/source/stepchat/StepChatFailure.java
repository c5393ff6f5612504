package io.botsync.source.stepchat;

import io.botsync.source.SourceException;

/** StepChat answered {@code success:false}; {@link #response} is its reason ({@code duplicate-email}, a MySQL error...). */
final class StepChatFailure extends SourceException {

    private final String response;

    StepChatFailure(String message, String response) {
        super(message);
        this.response = response;
    }

    String response() {
        return response;
    }
}
