package dev.idem.core.internal;

import java.io.IOException;

/**
 * Thrown while writing a canonical form when the value has none (a cycle, too deep, a value that can be read only
 * once). An {@link IOException} on purpose: Jackson's serializers pass an {@code IOException} that is not its own
 * through unchanged instead of wrapping it, so the reason reaches {@link Canonical} intact, where it becomes the
 * documented {@link IllegalArgumentException}.
 */
final class NoCanonicalFormException extends IOException {
    private static final long serialVersionUID = 1L;

    NoCanonicalFormException(String reason) {
        super(reason);
    }
}
