package dev.idem.spring.web;

import java.util.function.Predicate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;

/**
 * What idem does with {@code ResponseEntity} values, kept apart from the classes that must load without spring-web:
 * this class is loaded only once spring-web is known to be present. Uses only API that Spring Framework 6.2 and 7.0
 * share ({@code HttpHeaders} is a {@code MultiValueMap} in 6.2 and not in 7.0: {@code forEach}, {@code addAll},
 * {@code set} and the builder's {@code headers(HttpHeaders)} exist in both with the same signatures).
 */
final class ResponseEntities {
    /** A 4xx response: the request was refused, not processed, so it is not recorded. */
    private static final Predicate<Object> CLIENT_ERROR =
            result -> result instanceof ResponseEntity<?> entity && entity.getStatusCode().is4xxClientError();

    private ResponseEntities() {
    }

    /**
     * The default "not recorded" condition for a result type.
     *
     * @param resultType the raw result type
     * @return "the status is 4xx" for {@code ResponseEntity} and its subclasses, else null
     */
    static Predicate<Object> defaultUnless(Class<?> resultType) {
        return resultType != null && ResponseEntity.class.isAssignableFrom(resultType) ? CLIENT_ERROR : null;
    }

    /**
     * Whether a value is a {@code ResponseEntity}.
     *
     * @param value any value
     * @return true for a {@code ResponseEntity}
     */
    static boolean isResponseEntity(Object value) {
        return value instanceof ResponseEntity<?>;
    }

    /**
     * A copy of a response with one header set to one value (replacing any values it had); the original is not
     * changed (a recorded response may be replayed again, and its headers are read-only anyway).
     *
     * @param value a {@code ResponseEntity}
     * @param name the header
     * @param headerValue its value
     * @return the copy, a plain {@code ResponseEntity} with the same status and body
     */
    static ResponseEntity<?> withHeader(Object value, String name, String headerValue) {
        ResponseEntity<?> entity = (ResponseEntity<?>) value;
        HttpHeaders headers = copy(entity.getHeaders());
        headers.set(name, headerValue);
        return ResponseEntity.status(entity.getStatusCode()).headers(headers).body(entity.getBody());
    }

    /**
     * A mutable copy of headers, names and values in their order.
     *
     * @param headers the headers
     * @return the copy
     */
    static HttpHeaders copy(HttpHeaders headers) {
        HttpHeaders copy = new HttpHeaders();
        headers.forEach(copy::addAll);
        return copy;
    }
}
