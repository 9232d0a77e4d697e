package dev.idem.core.spi;

import java.util.Objects;

/**
 * One key's record in a store: {@code IN_FLIGHT(owner token, fingerprint, lease expiry)} while the first call runs,
 * then {@code COMPLETED(fingerprint, outcome, expiry)}. Immutable and thread-safe.
 *
 * <p>Times are epoch milliseconds of the engine's clock ({@code IdempotencyConfig#clock()}); a record whose
 * {@link #expiresAtMillis()} is not after "now" no longer exists, whatever the store still holds.
 */
public final class StoredRecord implements ClaimResult {

    /** The two states of a record. */
    public enum State {
        /** The first call is running; {@link #ownerToken()} owns the key until {@link #expiresAtMillis()}. */
        IN_FLIGHT,
        /** The first call completed; {@link #outcome()} is replayed until {@link #expiresAtMillis()}. */
        COMPLETED
    }

    private final State state;
    private final String ownerToken;
    private final Fingerprint fingerprint;
    private final Outcome outcome;
    private final long expiresAtMillis;

    private StoredRecord(State state, String ownerToken, Fingerprint fingerprint, Outcome outcome,
            long expiresAtMillis) {
        this.state = state;
        this.ownerToken = ownerToken;
        this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
        this.outcome = outcome;
        this.expiresAtMillis = expiresAtMillis;
    }

    /**
     * An in-flight record.
     *
     * @param ownerToken the token of the call that owns the key
     * @param fingerprint the payload fingerprint of that call
     * @param leaseExpiresAtMillis when the claim lapses unless renewed
     * @return the record
     */
    public static StoredRecord inFlight(String ownerToken, Fingerprint fingerprint, long leaseExpiresAtMillis) {
        return new StoredRecord(State.IN_FLIGHT, Objects.requireNonNull(ownerToken, "ownerToken"), fingerprint, null,
                leaseExpiresAtMillis);
    }

    /**
     * A completed record.
     *
     * @param fingerprint the payload fingerprint of the call that completed
     * @param outcome its outcome
     * @param expiresAtMillis when the record is gone
     * @return the record
     */
    public static StoredRecord completed(Fingerprint fingerprint, Outcome outcome, long expiresAtMillis) {
        return new StoredRecord(State.COMPLETED, null, fingerprint, Objects.requireNonNull(outcome, "outcome"),
                expiresAtMillis);
    }

    /**
     * The state.
     *
     * @return {@link State#IN_FLIGHT} or {@link State#COMPLETED}
     */
    public State state() {
        return state;
    }

    /**
     * Whether the first call is still running.
     *
     * @return true for {@link State#IN_FLIGHT}
     */
    public boolean isInFlight() {
        return state == State.IN_FLIGHT;
    }

    /**
     * The owner's token of an in-flight record.
     *
     * @return the token, or null for a completed record
     */
    public String ownerToken() {
        return ownerToken;
    }

    /**
     * The fingerprint of the payload of the call that made this record.
     *
     * @return the fingerprint
     */
    public Fingerprint fingerprint() {
        return fingerprint;
    }

    /**
     * The outcome of a completed record.
     *
     * @return the outcome, or null while in flight
     */
    public Outcome outcome() {
        return outcome;
    }

    /**
     * When the lease (in flight) or the record (completed) expires, in epoch milliseconds.
     *
     * @return the expiry
     */
    public long expiresAtMillis() {
        return expiresAtMillis;
    }

    /**
     * Whether the record still exists at the given time.
     *
     * @param nowMillis the current time in epoch milliseconds
     * @return true if it has not expired
     */
    public boolean isLiveAt(long nowMillis) {
        return expiresAtMillis > nowMillis;
    }

    @Override
    public String toString() {
        return state == State.IN_FLIGHT
                ? "IN_FLIGHT(" + ownerToken + ", " + fingerprint + ", lease until " + expiresAtMillis + ")"
                : "COMPLETED(" + fingerprint + ", " + outcome + ", until " + expiresAtMillis + ")";
    }
}
