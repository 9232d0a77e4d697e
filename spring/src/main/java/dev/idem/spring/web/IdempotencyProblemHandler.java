package dev.idem.spring.web;

import dev.idem.core.IdempotencyConfigurationException;
import dev.idem.core.IdempotencyException;
import dev.idem.core.IdempotencyInProgressException;
import dev.idem.core.IdempotencyKeyException;
import dev.idem.core.IdempotencyKeyReuseException;
import dev.idem.core.IdempotencyReentrancyException;
import dev.idem.core.IdempotencyReplayException;
import dev.idem.core.IdempotencyStoreException;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/**
 * Turns idem's exceptions into {@code application/problem+json} responses (RFC 9457 {@link ProblemDetail}), with
 * the status codes of the IETF draft "The Idempotency-Key HTTP Header Field":
 *
 * <table>
 *   <caption>Exceptions and responses</caption>
 *   <tr><th>exception</th><th>status</th><th>meaning</th></tr>
 *   <tr><td>{@link IdempotencyKeyException}</td><td>400 Bad Request</td><td>the key is missing, blank or too long</td></tr>
 *   <tr><td>{@link IdempotencyInProgressException}</td><td>409 Conflict</td><td>a request with the key is still
 *       being processed; retrying later is safe</td></tr>
 *   <tr><td>{@link IdempotencyKeyReuseException}</td><td>422 Unprocessable Content</td><td>the key was used with
 *       another request payload</td></tr>
 *   <tr><td>{@link IdempotencyStoreException}</td><td>503 Service Unavailable</td><td>the idempotency store cannot
 *       be reached; the request was not processed</td></tr>
 *   <tr><td>{@link IdempotencyReentrancyException}, {@link IdempotencyReplayException},
 *       {@link IdempotencyConfigurationException}, any other {@link IdempotencyException}</td><td>500 Internal Server
 *       Error</td><td>a fault of the service, not of the request</td></tr>
 * </table>
 *
 * <p>Titles and details are fixed texts: they never carry the key, the payload or the exception's message (which
 * may name the key expression and the method). Works on Spring MVC and WebFlux: the handler methods take only the
 * exception and return a {@code ResponseEntity<ProblemDetail>}.
 *
 * <p>Not registered by itself: declare it as a bean (the Spring Boot starter does, and can be told not to); it is
 * annotated {@code @ControllerAdvice} so that Spring finds the bean, which also means that a component scan of
 * {@code dev.idem} would pick it up. Its {@link #getOrder() order} is {@link Ordered#LOWEST_PRECEDENCE} unless set:
 * an application's own advice with a higher precedence that handles these exceptions wins.
 *
 * <p>Thread-safe.
 */
@ControllerAdvice
public class IdempotencyProblemHandler implements Ordered {
    private volatile int order = Ordered.LOWEST_PRECEDENCE;

    /** Creates the handler, to be declared as a bean. */
    public IdempotencyProblemHandler() {
    }

    /**
     * The precedence of this advice among the application's other {@code @ControllerAdvice} beans.
     *
     * @return the order, {@link Ordered#LOWEST_PRECEDENCE} unless set
     */
    @Override
    public int getOrder() {
        return order;
    }

    /**
     * Sets the precedence of this advice: a lower value is consulted first. Set it before the application context
     * starts (Spring reads it when it collects the advice).
     *
     * @param order the order
     */
    public void setOrder(int order) {
        this.order = order;
    }

    /**
     * A missing, blank or too long key: 400.
     *
     * @param exception the exception
     * @return the problem response
     */
    @ExceptionHandler(IdempotencyKeyException.class)
    public ResponseEntity<ProblemDetail> keyMissingOrInvalid(IdempotencyKeyException exception) {
        return problem(HttpStatus.BAD_REQUEST, "Idempotency key missing or invalid",
                "This request needs an idempotency key that is present, not blank and not too long.");
    }

    /**
     * A request with the same key is still in flight: 409.
     *
     * @param exception the exception
     * @return the problem response
     */
    @ExceptionHandler(IdempotencyInProgressException.class)
    public ResponseEntity<ProblemDetail> inProgress(IdempotencyInProgressException exception) {
        return problem(HttpStatus.CONFLICT, "Request in progress",
                "A request with the same idempotency key is still being processed. Retry later.");
    }

    /**
     * The key was used with another payload: 422.
     *
     * @param exception the exception
     * @return the problem response
     */
    @ExceptionHandler(IdempotencyKeyReuseException.class)
    public ResponseEntity<ProblemDetail> keyReused(IdempotencyKeyReuseException exception) {
        return problem(HttpStatus.UNPROCESSABLE_ENTITY, "Idempotency key reused",
                "This idempotency key was already used with a different request.");
    }

    /**
     * The store cannot be reached: 503. The request was not processed.
     *
     * @param exception the exception
     * @return the problem response
     */
    @ExceptionHandler(IdempotencyStoreException.class)
    public ResponseEntity<ProblemDetail> storeUnavailable(IdempotencyStoreException exception) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "Idempotency store unavailable",
                "The request was not processed because its idempotency could not be ensured. Retry later.");
    }

    /**
     * Any other idem exception (re-entrancy, an outcome that cannot be replayed, a configuration error): 500.
     *
     * @param exception the exception
     * @return the problem response
     */
    @ExceptionHandler(IdempotencyException.class)
    public ResponseEntity<ProblemDetail> serverError(IdempotencyException exception) {
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Idempotency error",
                "The service could not handle this request's idempotency.");
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        // A fixed content type: a problem is sent as problem+json whatever the request's Accept header asked for.
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
