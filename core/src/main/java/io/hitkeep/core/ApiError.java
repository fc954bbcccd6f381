package io.hitkeep.core;

/**
 * A request that cannot be served, with the HTTP status and a message safe to show the client. The
 * writer's store answers carry the same pair, so a refusal travels unchanged from the writer to the client.
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

    public static ApiError badRequest(String message) {
        return new ApiError(400, message);
    }

    public static ApiError unauthorized() {
        return new ApiError(401, "sign in first");
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, message);
    }
}
