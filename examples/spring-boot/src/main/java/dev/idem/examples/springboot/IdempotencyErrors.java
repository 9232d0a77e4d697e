package dev.idem.examples.springboot;

import dev.idem.core.IdempotencyInProgressException;
import dev.idem.core.IdempotencyKeyException;
import dev.idem.core.IdempotencyKeyReuseException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Maps idem's exceptions to the status codes of the {@code Idempotency-Key} pattern, with problem+json bodies. Other
 * idem exceptions (a store failure, a configuration error) stay server errors. A real service would also log them.
 */
@RestControllerAdvice
public class IdempotencyErrors {

    /** Creates the advice. */
    public IdempotencyErrors() {
    }

    /**
     * The key was already used with a different request.
     *
     * @param e the exception
     * @return 422 Unprocessable Content
     */
    @ExceptionHandler
    public ProblemDetail keyReused(IdempotencyKeyReuseException e) {
        return problem(HttpStatus.UNPROCESSABLE_ENTITY, "Idempotency-Key reused",
                "This Idempotency-Key was already used with a different request body.");
    }

    /**
     * A request with the same key is still being processed and this one gave up waiting for it.
     *
     * @param e the exception
     * @return 409 Conflict
     */
    @ExceptionHandler
    public ProblemDetail inProgress(IdempotencyInProgressException e) {
        return problem(HttpStatus.CONFLICT, "Request in progress",
                "A request with this Idempotency-Key is still being processed; retry later.");
    }

    /**
     * The key is blank or too long.
     *
     * @param e the exception
     * @return 400 Bad Request
     */
    @ExceptionHandler
    public ProblemDetail badKey(IdempotencyKeyException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid Idempotency-Key",
                "The Idempotency-Key header must be non-blank and at most 255 characters.");
    }

    // A fixed detail for the client: idem's messages name the application's classes and methods.
    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}
