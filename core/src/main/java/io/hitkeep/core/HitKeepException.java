package io.hitkeep.core;

/** The unchecked base type of every HitKeep failure. */
public class HitKeepException extends RuntimeException {
    public HitKeepException(String message) {
        super(message);
    }

    public HitKeepException(String message, Throwable cause) {
        super(message, cause);
    }
}
