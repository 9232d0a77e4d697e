package dev.idem.core.spi;

import dev.idem.core.internal.Canonical;
import dev.idem.core.internal.Values;
import java.util.Objects;

/**
 * The fingerprint of a call's payload, which must match for a recorded outcome to be replayed.
 *
 * <p>Fingerprints compare payloads by value: the authority is the SHA-256 of the payload's canonical JSON
 * ({@link #hash()}), equal for equal values across threads, JVMs and restarts, whatever the order of maps and sets
 * and whether or not the payload's classes override {@code equals}. That hash is computed lazily, because most
 * comparisons never need it: a fingerprint recorded from a deeply immutable payload (strings, numbers, enums, UUIDs,
 * java.time values and records made of them) keeps the payload and first compares it by value (JDK value types with
 * their {@code equals}, records component by component), which is sound for those types; only when that says
 * "different" is the canonical hash consulted.
 *
 * <p>Stores that keep objects may keep the fingerprint itself; shared stores persist {@link #hash()} and read it
 * back with {@link #ofHash(String)}. Thread-safe.
 */
public final class Fingerprint {

    /** The fingerprint of a method that checks no payload ({@code fingerprint = "none"}): it matches everything. */
    public static final Fingerprint NONE = new Fingerprint(null, new Frozen("none", null, false));

    private static final Object NO_PAYLOAD = new Object();

    /** What is fixed when the fingerprint is frozen: the hash and, for a deeply immutable payload, a snapshot. */
    private record Frozen(String hash, Object snapshot, boolean trustedEquals) {
    }

    private final Object payload;
    private volatile Frozen frozen;

    private Fingerprint(Object payload, Frozen frozen) {
        this.payload = payload;
        this.frozen = frozen;
    }

    /**
     * The fingerprint of a payload. Nothing is computed until it is needed.
     *
     * @param payload the payload, possibly null; an {@code Object[]} is compared element by element
     * @return the fingerprint
     */
    public static Fingerprint of(Object payload) {
        return new Fingerprint(payload, null);
    }

    /**
     * A fingerprint read back from a store.
     *
     * @param hash a value of {@link #hash()}
     * @return the fingerprint
     */
    public static Fingerprint ofHash(String hash) {
        Objects.requireNonNull(hash, "hash");
        return "none".equals(hash) ? NONE : new Fingerprint(NO_PAYLOAD, new Frozen(hash, null, false));
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
    public Fingerprint freeze() {
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
     * Whether this fingerprint has been frozen (always true for one read from a store). The payload of an in-flight
     * record whose fingerprint is not frozen yet cannot be compared; the engine then waits for the outcome.
     *
     * @return true if frozen
     */
    public boolean isFrozen() {
        return frozen != null;
    }

    /**
     * Whether a call with the {@code candidate} fingerprint may replay the outcome recorded with this (frozen) one.
     *
     * @param candidate the fingerprint of the new call
     * @return true if the payloads are equal by value, or either side checks no payload
     * @throws IllegalArgumentException if a payload has no canonical form
     */
    public boolean matches(Fingerprint candidate) {
        if (this == NONE || candidate == NONE || this == candidate) {
            return true;
        }
        Frozen recorded = freeze().frozen;
        // Only known value types decide here (JDK value classes by their equals, records component by component),
        // so "equal" implies equal canonical forms; the candidate's class cannot bring its own equals in.
        if (recorded.trustedEquals && candidate.payload != NO_PAYLOAD
                && trustedEquals(recorded.snapshot, candidate.payload)) {
            return true;
        }
        return hash().equals(candidate.hash());
    }

    private static boolean trustedEquals(Object recorded, Object candidate) {
        return Values.valueEquals(recorded, candidate);
    }

    /**
     * The canonical hash: the unpadded base64url SHA-256 of the payload's canonical form, or {@code none}. Computing
     * it freezes the fingerprint.
     *
     * @return the hash
     * @throws IllegalArgumentException if the payload has no canonical form
     */
    public String hash() {
        Frozen f = freeze().frozen;
        if (f.hash == null) {
            // A deeply immutable payload: hashed on first demand only (a local store's replays never ask).
            f = new Frozen(Canonical.hash(f.snapshot), f.snapshot, true);
            frozen = f;
        }
        return f.hash;
    }

    /**
     * Whether this is {@link #NONE}.
     *
     * @return true if no payload is checked
     */
    public boolean isNone() {
        return this == NONE;
    }

    @Override
    public String toString() {
        Frozen f = frozen;
        return f == null ? "Fingerprint[not frozen]"
                : f.hash == null ? "Fingerprint[a value, not hashed yet]" : "Fingerprint[" + f.hash + "]";
    }
}
