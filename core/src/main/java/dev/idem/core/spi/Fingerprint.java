package dev.idem.core.spi;

/**
 * The fingerprint of a call's payload, which must match for a recorded outcome to be replayed.
 *
 * <p>Fingerprints compare payloads by value. The authority is {@link #hash()}: the unpadded base64url SHA-256 of the
 * payload's canonical JSON, equal for equal values across threads, JVMs and restarts, whatever the order of maps and
 * sets and whether or not the payload's classes override {@code equals}. The engine makes a call's fingerprint from
 * its payload (and may compare deeply immutable payloads by value before it ever hashes them); a store only keeps
 * fingerprints and hands them back.
 *
 * <p>A store that keeps objects may keep the fingerprint it was given; a shared store persists {@link #hash()} and
 * reads it back with {@link #ofHash(String)}. Implementations are thread-safe.
 */
public interface Fingerprint {

    /** The fingerprint of a method that checks no payload ({@code fingerprint = "none"}): it matches everything. */
    Fingerprint NONE = HashFingerprint.NONE;

    /**
     * A fingerprint read back from a store.
     *
     * @param hash a value of {@link #hash()}
     * @return the fingerprint ({@link #NONE} for {@code "none"})
     */
    static Fingerprint ofHash(String hash) {
        return HashFingerprint.of(hash);
    }

    /**
     * The canonical hash: the unpadded base64url SHA-256 of the payload's canonical form, or {@code none}.
     *
     * @return the hash
     * @throws IllegalArgumentException if the payload has no canonical form (never for a fingerprint the engine has
     *     handed to a store: it freezes them first)
     */
    String hash();

    /**
     * Whether a call with the {@code candidate} fingerprint may replay the outcome recorded with this one.
     *
     * @param candidate the fingerprint of the new call
     * @return true if the payloads are equal by value, or either side checks no payload
     * @throws IllegalArgumentException if a payload has no canonical form
     */
    boolean matches(Fingerprint candidate);

    /**
     * Whether this is {@link #NONE}.
     *
     * @return true if no payload is checked
     */
    default boolean isNone() {
        return this == NONE;
    }
}
