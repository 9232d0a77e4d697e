package dev.idem.core.spi;

import java.util.Objects;

/** A fingerprint that is only its hash: read back from a store, or {@link Fingerprint#NONE}. */
final class HashFingerprint implements Fingerprint {
    static final HashFingerprint NONE = new HashFingerprint("none");

    private final String hash;

    private HashFingerprint(String hash) {
        this.hash = hash;
    }

    static Fingerprint of(String hash) {
        Objects.requireNonNull(hash, "hash");
        return "none".equals(hash) ? NONE : new HashFingerprint(hash);
    }

    @Override
    public String hash() {
        return hash;
    }

    @Override
    public boolean matches(Fingerprint candidate) {
        if (this == NONE || candidate == NONE || this == candidate) {
            return true;
        }
        return hash.equals(candidate.hash());
    }

    @Override
    public String toString() {
        return this == NONE ? "Fingerprint[none]" : "Fingerprint[" + hash + "]";
    }
}
