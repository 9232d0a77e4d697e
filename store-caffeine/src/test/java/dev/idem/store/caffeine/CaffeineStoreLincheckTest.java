package dev.idem.store.caffeine;

import dev.idem.core.spi.ClaimResult;
import dev.idem.core.spi.Fingerprint;
import dev.idem.core.spi.Outcome;
import dev.idem.core.spi.StoredRecord;
import java.util.HashMap;
import java.util.Map;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of the local store's SPI operations (claim, complete, release, renew, settle), checked by Lincheck
 * against {@link Model}, a sequential model of the semantics table: in model-checking mode (every interleaving of
 * the shared-memory accesses, within bounds) and in stress mode (real threads).
 *
 * <p>Two keys, three tokens and four instants make the state space small enough to explore, yet reach every state:
 * free, in flight (own or another's lease), lapsed, completed, expired. Durations are long in wall-clock terms, so
 * Caffeine's own clock never evicts anything during a run; expiry is decided by the {@code now} passed in, as the
 * engine does.
 */
@Param(name = "key", gen = IntGen.class, conf = "0:1")
@Param(name = "token", gen = IntGen.class, conf = "1:3")
@Param(name = "now", gen = IntGen.class, conf = "0:3")
public class CaffeineStoreLincheckTest {
    static final long LEASE = 100_000;
    static final long TTL = 250_000;
    static final long STEP = 60_000;
    private static final Fingerprint FINGERPRINT = Fingerprint.ofHash("payload-hash");

    private final CaffeineIdempotencyStore store = CaffeineIdempotencyStore.create();

    /** Lincheck creates one instance per scenario (it needs a public constructor). */
    public CaffeineStoreLincheckTest() {
    }

    static String key(int key) {
        return "k" + key;
    }

    static String token(int token) {
        return "t" + token;
    }

    @Operation
    public String claim(@Param(name = "key") int key, @Param(name = "token") int token,
            @Param(name = "now") int now) {
        ClaimResult result = store.claim(key(key), token(token), FINGERPRINT, now * STEP, LEASE)
                .toCompletableFuture().join();
        if (result == ClaimResult.CLAIMED) {
            return "claimed";
        }
        StoredRecord record = (StoredRecord) result;
        return record.isInFlight()
                ? "in flight: " + record.ownerToken() + ", " + record.leaseRemainingMillis() + " ms left"
                : "completed: " + record.outcome().value();
    }

    @Operation
    public boolean complete(@Param(name = "key") int key, @Param(name = "token") int token,
            @Param(name = "now") int now) {
        return store.complete(key(key), token(token), FINGERPRINT, Outcome.value("v" + token), now * STEP, TTL)
                .toCompletableFuture().join();
    }

    @Operation
    public boolean release(@Param(name = "key") int key, @Param(name = "token") int token,
            @Param(name = "now") int now) {
        return store.release(key(key), token(token), now * STEP).toCompletableFuture().join();
    }

    @Operation
    public boolean renew(@Param(name = "key") int key, @Param(name = "token") int token,
            @Param(name = "now") int now) {
        return store.renew(key(key), token(token), now * STEP, LEASE).toCompletableFuture().join();
    }

    /**
     * Whether a waiter arriving now has nothing to wait for. Checked by identity with the store's "nothing in flight"
     * answer, which is decided by the one read {@code whenSettled} makes; asking the returned future
     * {@code isDone()} afterwards would be a second, later step (a waiter's future may complete in between, which is
     * what it is for). That waiters' futures do complete is the store contract suite's part.
     */
    @Operation
    public boolean settled(@Param(name = "key") int key) {
        return store.whenSettled(key(key)) == CaffeineIdempotencyStore.SETTLED;
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions()
                .iterations(10)
                .invocationsPerIteration(200)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(2)
                .sequentialSpecification(Model.class)
                .check(getClass());
    }

    @Test
    void stress() {
        new StressOptions()
                .iterations(30)
                .invocationsPerIteration(500)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(2)
                .sequentialSpecification(Model.class)
                .check(getClass());
    }

    /**
     * The semantics table as a plain sequential map: what every store must do, one operation at a time. A record
     * lives until its absolute expiry (by the "now" given); claim takes a free or lapsed key, answers a retried
     * claim of the owner with "claimed", and answers the live record otherwise; complete, release and renew act only
     * for the live owner; a repeated complete by the owner answers true; waiters are settled unless a record is in
     * flight.
     */
    public static final class Model {
        private record Entry(boolean inFlight, String owner, String value, long expiresAt) {
        }

        private final Map<String, Entry> records = new HashMap<>();

        /** A fresh, empty model. */
        public Model() {
        }

        private Entry live(String key, long now) {
            Entry entry = records.get(key);
            return entry != null && entry.expiresAt() > now ? entry : null;
        }

        public String claim(int key, int token, int now) {
            long at = now * STEP;
            Entry entry = live(key(key), at);
            if (entry == null) {
                records.put(key(key), new Entry(true, token(token), null, at + LEASE));
                return "claimed";
            }
            if (entry.inFlight()) {
                return entry.owner().equals(token(token)) ? "claimed"
                        : "in flight: " + entry.owner() + ", " + (entry.expiresAt() - at) + " ms left";
            }
            return "completed: " + entry.value();
        }

        public boolean complete(int key, int token, int now) {
            long at = now * STEP;
            Entry entry = live(key(key), at);
            if (entry == null || !entry.owner().equals(token(token))) {
                return false;
            }
            if (entry.inFlight()) {
                records.put(key(key), new Entry(false, token(token), "v" + token, at + TTL));
            }
            return true;
        }

        public boolean release(int key, int token, int now) {
            Entry entry = live(key(key), now * STEP);
            if (entry == null || !entry.inFlight() || !entry.owner().equals(token(token))) {
                return false;
            }
            records.remove(key(key));
            return true;
        }

        public boolean renew(int key, int token, int now) {
            long at = now * STEP;
            Entry entry = live(key(key), at);
            if (entry == null || !entry.inFlight() || !entry.owner().equals(token(token))) {
                return false;
            }
            records.put(key(key), new Entry(true, entry.owner(), null, at + LEASE));
            return true;
        }

        public boolean settled(int key) {
            Entry entry = records.get(key(key));
            return entry == null || !entry.inFlight();
        }
    }
}
