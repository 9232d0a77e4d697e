package dev.idem.core.spi;

import java.util.Objects;

/**
 * One key's live record in a store: {@code IN_FLIGHT(owner token, fingerprint)} while the first call runs, then
 * {@code COMPLETED(fingerprint, outcome)}. Immutable and thread-safe.
 *
 * <p>A record carries no absolute times: a shared store judges expiry by its own clock, which callers' clocks may not
 * agree with. An in-flight record says instead how long its lease had left when the store read it
 * ({@link #leaseRemainingMillis()}), which is all a waiter needs to bound its wait for a holder that may have died. A
 * completed record may say likewise how long its ttl had left when the store read it ({@link #ttlRemainingMillis()}),
 * which is all a near-cache in front of a shared store needs to keep it locally no longer than the store keeps it.
 */
public final class StoredRecord implements ClaimResult {

    /** The two states of a record. */
    public enum State {
        /** The first call is running; {@link #ownerToken()} owns the key until its lease lapses. */
        IN_FLIGHT,
        /** The first call completed; {@link #outcome()} is replayed until the record's ttl passes. */
        COMPLETED
    }

    /** What {@link #ttlRemainingMillis()} answers when the store did not say. */
    private static final long UNKNOWN = -1;

    private final State state;
    private final String ownerToken;
    private final Fingerprint fingerprint;
    private final Outcome outcome;
    private final long leaseRemainingMillis;
    private final long ttlRemainingMillis;

    private StoredRecord(State state, String ownerToken, Fingerprint fingerprint, Outcome outcome,
            long leaseRemainingMillis, long ttlRemainingMillis) {
        this.state = state;
        this.ownerToken = ownerToken;
        this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
        this.outcome = outcome;
        this.leaseRemainingMillis = leaseRemainingMillis;
        this.ttlRemainingMillis = ttlRemainingMillis;
    }

    /**
     * An in-flight record.
     *
     * @param ownerToken the token of the call that owns the key
     * @param fingerprint the payload fingerprint of that call
     * @param leaseRemainingMillis how long the lease had left when the store read the record, by the store's clock;
     *     at least 0
     * @return the record
     */
    public static StoredRecord inFlight(String ownerToken, Fingerprint fingerprint, long leaseRemainingMillis) {
        if (leaseRemainingMillis < 0) {
            throw new IllegalArgumentException("leaseRemainingMillis must not be negative, got "
                    + leaseRemainingMillis);
        }
        return new StoredRecord(State.IN_FLIGHT, Objects.requireNonNull(ownerToken, "ownerToken"), fingerprint, null,
                leaseRemainingMillis, UNKNOWN);
    }

    /**
     * A completed record whose remaining ttl is not known ({@link #ttlRemainingMillis()} answers -1).
     *
     * @param fingerprint the payload fingerprint of the call that completed
     * @param outcome its outcome
     * @return the record
     * @see #completed(Fingerprint, Outcome, long)
     */
    public static StoredRecord completed(Fingerprint fingerprint, Outcome outcome) {
        return completed(fingerprint, outcome, UNKNOWN);
    }

    /**
     * A completed record that says how long its ttl had left when the store read it. A store that knows it cheaply
     * (Redis's {@code PTTL}, in the same script as the read) should say it: a near-cache keeps the record locally no
     * longer than that. A store that does not know it passes -1, as {@link #completed(Fingerprint, Outcome)} does.
     *
     * @param fingerprint the payload fingerprint of the call that completed
     * @param outcome its outcome
     * @param ttlRemainingMillis how long the record's ttl had left when the store read it, by the store's clock: at
     *     least 0, or -1 when unknown (a record without expiry is reported as unknown)
     * @return the record
     * @throws IllegalArgumentException if {@code ttlRemainingMillis} is below -1
     */
    public static StoredRecord completed(Fingerprint fingerprint, Outcome outcome, long ttlRemainingMillis) {
        if (ttlRemainingMillis < UNKNOWN) {
            throw new IllegalArgumentException("ttlRemainingMillis must be at least 0, or -1 when unknown, got "
                    + ttlRemainingMillis);
        }
        return new StoredRecord(State.COMPLETED, null, fingerprint, Objects.requireNonNull(outcome, "outcome"), 0,
                ttlRemainingMillis);
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
     * How long the lease of an in-flight record had left when the store read it, by the store's own clock.
     *
     * @return milliseconds, at least 0; 0 for a completed record
     */
    public long leaseRemainingMillis() {
        return leaseRemainingMillis;
    }

    /**
     * How long the ttl of a completed record had left when the store read it, by the store's own clock, if the store
     * said so ({@link #completed(Fingerprint, Outcome, long)}). It is a reading, not a promise: the record may be gone
     * sooner (deleted, evicted), never later.
     *
     * @return milliseconds, at least 0; -1 when unknown, and always -1 for an in-flight record
     */
    public long ttlRemainingMillis() {
        return ttlRemainingMillis;
    }

    @Override
    public String toString() {
        return state == State.IN_FLIGHT
                ? "IN_FLIGHT(" + ownerToken + ", " + fingerprint + ", lease " + leaseRemainingMillis + " ms left)"
                : "COMPLETED(" + fingerprint + ", " + outcome
                        + (ttlRemainingMillis == UNKNOWN ? "" : ", ttl " + ttlRemainingMillis + " ms left") + ")";
    }
}
