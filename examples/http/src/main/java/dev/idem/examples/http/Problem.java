package dev.idem.examples.http;

/**
 * An RFC 9457 problem details object, sent as {@code application/problem+json}.
 *
 * <p>The {@code type} URIs are {@code tag:} URIs (RFC 4151): stable identifiers that clients can compare, and that
 * are not meant to be fetched.
 *
 * @param type identifies the kind of problem
 * @param title a short summary of the kind of problem, the same for every occurrence
 * @param status the HTTP status code
 * @param detail what went wrong with this request
 */
record Problem(String type, String title, int status, String detail) {

    static final String MEDIA_TYPE = "application/problem+json";

    private static final String TYPE_PREFIX = "tag:idem.dev,2025:problems/";

    static Problem keyMissing(String detail) {
        return new Problem(TYPE_PREFIX + "idempotency-key-missing", "Idempotency-Key header missing", 400, detail);
    }

    static Problem keyMalformed(String detail) {
        return new Problem(TYPE_PREFIX + "idempotency-key-malformed", "Idempotency-Key header malformed", 400,
                detail);
    }

    static Problem invalidBody(String detail) {
        return new Problem(TYPE_PREFIX + "invalid-body", "Invalid request body", 400, detail);
    }

    static Problem inProgress(String detail) {
        return new Problem(TYPE_PREFIX + "idempotency-key-in-progress",
                "A request with this Idempotency-Key is still being processed", 409, detail);
    }

    static Problem keyReused(String detail) {
        return new Problem(TYPE_PREFIX + "idempotency-key-reused",
                "Idempotency-Key already used with a different request body", 422, detail);
    }

    static Problem storeUnavailable(String detail) {
        return new Problem(TYPE_PREFIX + "idempotency-store-unavailable", "Idempotency store unavailable", 503,
                detail);
    }

    static Problem notFound(String detail) {
        return new Problem("about:blank", "Not Found", 404, detail);
    }

    static Problem methodNotAllowed(String detail) {
        return new Problem("about:blank", "Method Not Allowed", 405, detail);
    }

    static Problem internalError(String detail) {
        return new Problem("about:blank", "Internal Server Error", 500, detail);
    }
}
