package dev.idem.core.spi;

/**
 * The answer of {@link IdempotencyStore#claim}: either {@link #CLAIMED} (the caller now owns the key and must run the
 * method), or the live {@link StoredRecord} that prevented the claim.
 */
public interface ClaimResult {

    /** The key was free and is now claimed by the caller's token. */
    ClaimResult CLAIMED = new ClaimResult() {
        @Override
        public String toString() {
            return "CLAIMED";
        }
    };
}
