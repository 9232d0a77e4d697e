package dev.idem.core.internal;

import dev.idem.core.spi.Fingerprint;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The fingerprint of a call's payload, as the engine makes it.
 *
 * <p>The hash ({@link Fingerprint#hash()}) is computed lazily, because most comparisons never need it. A payload made
 * of values and plain beans (strings, numbers, enums, UUIDs, java.time values, records of them, and application
 * classes holding such fields: see {@link Snapshots}) is kept as a frozen snapshot, and a candidate is first compared
 * with it field by field, which is sound for those types; only when that cannot tell "equal" is the canonical hash
 * consulted. Any other payload is hashed when it is checked.
 *
 * <h2>Check, then freeze</h2>
 * The engine {@link #check() checks} every call's fingerprint before it asks the store for anything (a payload
 * without a canonical form fails there), which for a snapshot-able payload reads it and allocates nothing, since a
 * replay never keeps it. Only the call that claims the key {@link #freeze() freezes} its fingerprint, before its body
 * runs and can change its arguments. Between the claim and the freeze another call may find this fingerprint in a
 * local store and compare with it: it then reads the live payload under this object's lock, which the freeze takes
 * too, so it never reads a payload the body is changing. Thread-safe.
 */
public final class PayloadFingerprint implements Fingerprint {

    /** What is fixed: the hash once known and, for a snapshot-able payload, its snapshot once frozen. */
    private record Frozen(String hash, Object snapshot, boolean live) {
    }

    /** Checked: the payload can be snapshot, but is not yet (the live payload is the payload). */
    private static final Frozen CHECKED = new Frozen(null, null, true);

    /**
     * The live payload, until {@link #freeze}: then the snapshot or the hash stands for it and the reference is
     * dropped, so that a record kept for its ttl (a local store keeps this object) does not keep the claimer's
     * argument objects alive with it. Read only while not frozen: by its own thread, or under this object's lock.
     */
    private Object payload;
    private volatile Frozen frozen;

    private static final VarHandle FROZEN;

    static {
        try {
            FROZEN = MethodHandles.lookup().findVarHandle(PayloadFingerprint.class, "frozen", Frozen.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

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
     * Makes sure the payload has a canonical form, as cheaply as possible: a payload that can be snapshot is only
     * read; any other is hashed now. Idempotent.
     *
     * @return this fingerprint
     * @throws IllegalArgumentException if the payload has no canonical form
     */
    public PayloadFingerprint check() {
        if (frozen == null) {
            // A release write, not a volatile one (which costs a full fence on every call): the engine checks before
            // the claim can publish this fingerprint to other threads, and that publication orders this write.
            FROZEN.setRelease(this, Snapshots.canSnapshot(payload) ? CHECKED
                    : new Frozen(Canonical.hash(payload), null, false));
        }
        return this;
    }

    /**
     * Fixes this fingerprint as the payload is now: a snapshot-able payload is snapshot (its hash is computed only if
     * one is ever asked for); any other is hashed. After this, the payload may change without changing the
     * fingerprint. Idempotent.
     *
     * @return this fingerprint
     * @throws IllegalArgumentException if the payload has no canonical form
     */
    public PayloadFingerprint freeze() {
        Frozen f = check().frozen;
        if (f.live) {
            synchronized (this) {
                f = frozen;
                if (f.live) {
                    Object snapshot;
                    try {
                        snapshot = Snapshots.snapshot(payload);
                    } catch (RuntimeException e) {
                        snapshot = null; // could not copy it after all: the hash is the fingerprint
                    }
                    // A hash taken while live (a shared store's claim) is of this same payload: the body has not
                    // run yet. Keeping both lets a near-cache compare by snapshot and still hand out the hash.
                    String hash = snapshot == null && f.hash == null ? Canonical.hash(payload) : f.hash;
                    frozen = new Frozen(hash, snapshot, false);
                    payload = null;
                }
            }
        } else {
            payload = null; // hashed when checked: the hash is the fingerprint
        }
        return this;
    }

    /**
     * Whether this fingerprint has been checked or frozen.
     *
     * @return true if it was
     */
    public boolean isFrozen() {
        return frozen != null;
    }

    @Override
    public boolean matches(Fingerprint candidate) {
        if (candidate == NONE || this == candidate) {
            return true;
        }
        Frozen recorded = check().frozen;
        if (recorded.live) {
            // Claimed, not frozen yet: the claimer's body has not started, and cannot while this lock is held.
            synchronized (this) {
                if (frozen.live) {
                    return liveHash().equals(candidate.hash());
                }
            }
            recorded = frozen;
        }
        // Only known value types and plain beans decide here, and only "equal"; the candidate's class cannot bring
        // its own equals in.
        if (recorded.snapshot != null && candidate instanceof PayloadFingerprint other
                && Snapshots.sameForm(recorded.snapshot, other.payload)) {
            return true;
        }
        return hash().equals(candidate.hash());
    }

    /**
     * The canonical hash. Computing it checks the fingerprint.
     *
     * @return the hash
     * @throws IllegalArgumentException if the payload has no canonical form
     */
    @Override
    public String hash() {
        Frozen f = check().frozen;
        if (f.hash != null) {
            return f.hash;
        }
        if (f.live) {
            synchronized (this) {
                if (frozen.live) {
                    return liveHash();
                }
                f = frozen;
            }
        }
        // A snapshot: hashed on first demand only (a local store's replays never ask).
        String hash = Canonical.hash(f.snapshot);
        frozen = new Frozen(hash, f.snapshot, false);
        return hash;
    }

    /** The hash of the live payload, computed once; holds this object's lock while the payload is live. */
    private String liveHash() {
        Frozen f = frozen;
        if (f.hash != null) {
            return f.hash;
        }
        String hash = Canonical.hash(payload);
        frozen = new Frozen(hash, null, true);
        return hash;
    }

    @Override
    public String toString() {
        Frozen f = frozen;
        return f == null ? "Fingerprint[not frozen]" : f.live ? "Fingerprint[checked, not frozen]"
                : f.hash == null ? "Fingerprint[a snapshot, not hashed yet]" : "Fingerprint[" + f.hash + "]";
    }
}
