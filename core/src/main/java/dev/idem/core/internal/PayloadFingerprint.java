package dev.idem.core.internal;

import dev.idem.core.spi.Fingerprint;

/**
 * The fingerprint of a call's payload, as the engine makes it.
 *
 * <p>The hash ({@link Fingerprint#hash()}) is computed lazily, because most comparisons never need it: a fingerprint
 * recorded from a deeply immutable payload (strings, numbers, enums, UUIDs, java.time values and records made of them)
 * keeps the payload and first compares it by value (JDK value types with their {@code equals}, records component by
 * component), which is sound for those types; only when that says "different" is the canonical hash consulted.
 * Thread-safe.
 */
public final class PayloadFingerprint implements Fingerprint {

    /** What is fixed when the fingerprint is frozen: the hash and, for a deeply immutable payload, a snapshot. */
    private record Frozen(String hash, Object snapshot, boolean trustedEquals) {
    }

    private final Object payload;
    private volatile Frozen frozen;

    private PayloadFingerprint(Object payload) {
        this.payload = payload;
    }

    /**
     * The fingerprint of a payload. Nothing is computed until it is needed.
     *
     * @param payload the payload, possibly null; an {@code Object[]} is compared element by element
     * @return the fingerprint
     */
    public static PayloadFingerprint of(Object payload) {
        return new PayloadFingerprint(payload);
    }

    /**
     * Fixes this fingerprint as the payload is now. For a deeply immutable payload it keeps the payload itself (it
     * cannot change, and it always has a canonical form), and computes the hash only if one is ever asked for; for any
     * other payload it computes the canonical hash now, so that a payload without a canonical form fails here. The
     * engine freezes a call's fingerprint before it asks the store for anything (and before the method body can
     * change its arguments). Idempotent.
     *
     * @return this fingerprint
     * @throws IllegalArgumentException if the payload has no canonical form
     */
    public PayloadFingerprint freeze() {
        if (frozen == null) {
            if (Values.isDeeplyImmutable(payload)) {
                Object snapshot = payload instanceof Object[] array ? array.clone() : payload;
                frozen = new Frozen(null, snapshot, true);
            } else {
                frozen = new Frozen(Canonical.hash(payload), null, false);
            }
        }
        return this;
    }

    /**
     * Whether this fingerprint has been frozen.
     *
     * @return true if frozen
     */
    public boolean isFrozen() {
        return frozen != null;
    }

    @Override
    public boolean matches(Fingerprint candidate) {
        if (candidate == NONE || this == candidate) {
            return true;
        }
        Frozen recorded = freeze().frozen;
        // Only known value types decide here (JDK value classes by their equals, records component by component),
        // so "equal" implies equal canonical forms; the candidate's class cannot bring its own equals in.
        if (recorded.trustedEquals && candidate instanceof PayloadFingerprint other
                && Values.valueEquals(recorded.snapshot, other.payload)) {
            return true;
        }
        return hash().equals(candidate.hash());
    }

    /**
     * The canonical hash. Computing it freezes the fingerprint.
     *
     * @return the hash
     * @throws IllegalArgumentException if the payload has no canonical form
     */
    @Override
    public String hash() {
        Frozen f = freeze().frozen;
        if (f.hash == null) {
            // A deeply immutable payload: hashed on first demand only (a local store's replays never ask).
            f = new Frozen(Canonical.hash(f.snapshot), f.snapshot, true);
            frozen = f;
        }
        return f.hash;
    }

    @Override
    public String toString() {
        Frozen f = frozen;
        return f == null ? "Fingerprint[not frozen]"
                : f.hash == null ? "Fingerprint[a value, not hashed yet]" : "Fingerprint[" + f.hash + "]";
    }
}
