package dev.idem.core.spi;

/**
 * The answer of {@link IdempotencyStore#claim}: either {@link #CLAIMED} (the caller now owns the key and must run the
 * method), or the live {@link StoredRecord} that prevented the claim. Nothing else.
 */
public sealed interface ClaimResult permits ClaimResult.Claimed, StoredRecord {

    /** The key was free and is now claimed by the caller's token. */
    ClaimResult CLAIMED = Claimed.CLAIMED;

    /** The one value of {@link #CLAIMED}. */
    enum Claimed implements ClaimResult {
        /** The key was free and is now claimed by the caller's token. */
        CLAIMED
    }
}
