package io.hitkeep.core;

/**
 * A store request that the writer refused or could not answer, with the HTTP status that describes it
 * (404 no such site, 409 conflict, 503 no writer answering...). Its message is safe to show a client.
 */
public final class StoreException extends HitKeepException {
    private final int status;

    public StoreException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
