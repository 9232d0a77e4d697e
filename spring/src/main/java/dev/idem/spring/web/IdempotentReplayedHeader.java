package dev.idem.spring.web;

import dev.idem.spring.IdempotentSpringAspect;
import dev.idem.spring.ReplayMarker;
import java.lang.reflect.Method;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Marks replayed web responses with the header {@code Idempotent-Replayed: true}, for
 * {@link IdempotentSpringAspect#setReplayMarker}:
 *
 * <ul>
 *   <li>a {@code ResponseEntity} result (or a {@code CompletableFuture} of one) is replaced by a copy that carries the
 *       header, which works on Spring MVC and WebFlux alike and wherever the method sits (controller or service);</li>
 *   <li>any other result, on Spring MVC: the header is set on the current request's {@code HttpServletResponse}
 *       (found through {@link RequestContextHolder}), before the response is written. Outside a servlet request
 *       (WebFlux, a message listener, another thread) nothing is set.</li>
 * </ul>
 *
 * <p>Needs spring-web on the class path (the servlet API only for the second case: without it that case does
 * nothing). Thread-safe and immutable.
 */
public final class IdempotentReplayedHeader implements ReplayMarker {
    /** The header's name, as Stripe and other payment APIs send it. */
    public static final String HEADER = "Idempotent-Replayed";

    private static final boolean SERVLET_PRESENT =
            SpringWebResultTypeSupport.present("jakarta.servlet.http.HttpServletResponse");

    private final String headerName;

    /** Marks replays with {@value #HEADER}{@code : true}. */
    public IdempotentReplayedHeader() {
        this(HEADER);
    }

    /**
     * Marks replays with another header's name, set to {@code true}.
     *
     * @param headerName the header's name, an HTTP token (RFC 9110: letters, digits and {@code !#$%&'*+-.^_`|~})
     * @throws IllegalArgumentException if the name is blank or not a token (a space, a colon, a control character)
     */
    public IdempotentReplayedHeader(String headerName) {
        if (Objects.requireNonNull(headerName, "headerName").isBlank()) {
            throw new IllegalArgumentException("the header's name is blank");
        }
        for (int i = 0; i < headerName.length(); i++) {
            if (!isTokenChar(headerName.charAt(i))) {
                throw new IllegalArgumentException("the header's name '" + headerName + "' is not an HTTP token:"
                        + " character " + (i + 1) + " is not a letter, a digit or one of !#$%&'*+-.^_`|~");
            }
        }
        this.headerName = headerName;
    }

    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /**
     * The header's name.
     *
     * @return the name, {@value #HEADER} unless given
     */
    public String headerName() {
        return headerName;
    }

    /**
     * Adds the header to a replayed result (see the class comment).
     *
     * @param result the recorded result, possibly null
     * @param method the called method
     * @return a copy of a {@code ResponseEntity} (or a future of one) with the header, else {@code result} itself
     */
    @Override
    public Object markReplayed(Object result, Method method) {
        Class<?> returnType = method.getReturnType();
        if (ResponseEntities.isResponseEntity(result)) {
            Object marked = ResponseEntities.withHeader(result, headerName, "true");
            if (returnType.isInstance(marked)) {
                return marked;
            }
        } else if (result instanceof CompletableFuture<?> future && returnType.isAssignableFrom(CompletableFuture.class)) {
            // A replayed stage is already complete; a copy keeps the original (replayed again later) untouched.
            return future.thenApply(value -> ResponseEntities.isResponseEntity(value)
                    ? ResponseEntities.withHeader(value, headerName, "true") : markCurrentResponse(value));
        }
        return markCurrentResponse(result);
    }

    private Object markCurrentResponse(Object result) {
        if (SERVLET_PRESENT) {
            ServletResponses.setHeader(headerName, "true");
        }
        return result;
    }

    /** The servlet API, kept apart so that this class loads without it. */
    private static final class ServletResponses {
        static void setHeader(String name, String value) {
            RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
            if (attributes instanceof ServletRequestAttributes servlet) {
                var response = servlet.getResponse();
                if (response != null && !response.isCommitted()) {
                    response.setHeader(name, value);
                }
            }
        }
    }
}
