package io.hitkeep.web;

import io.hitkeep.core.HitKeepException;

/**
 * A refusal that belongs to HTTP itself, not to a domain (a body over the size limit: 413), with its
 * status and a message safe to show the client. Domain refusals are {@link io.hitkeep.core.DomainError}.
 */
public final class ApiError extends HitKeepException {
    private final int status;

    public ApiError(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
