package dev.idem.testing;

import dev.idem.core.IdempotencyConfig;
import dev.idem.core.spi.ClaimResult;
import dev.idem.core.spi.Fingerprint;
import dev.idem.core.spi.IdempotencyStore;
import dev.idem.core.spi.Outcome;
import dev.idem.core.spi.StoredRecord;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-process store for tests of your own code: records live in a map, and expiry is judged by the engine's clock,
 * so a test moves a {@link MutableClock} past a ttl or a lease instead of sleeping.
 *
 * <pre>{@code
 * InMemoryIdempotencyStore store = InMemoryIdempotencyStore.create();
 * Idempotency.configure(IdempotencyConfig.builder().defaultStore(store).clock(clock).build());
 * ...
 * store.clear(); // between tests
 * }</pre>
 *
 * <p>Every change is one atomic {@code compute} on a {@link ConcurrentHashMap} that checks the owner token inside it,
 * so it is exact under concurrency, like the production stores. Expired records are not evicted (a test holds few);
 * they behave as absent. It keeps outcomes as objects, like the Caffeine store. Thread-safe. It passes the store
 * contract suite and the behaviour suite of {@code idem-tck}.
 */
public final class InMemoryIdempotencyStore implements IdempotencyStore {
    private static final CompletableFuture<Void> SETTLED = CompletableFuture.completedFuture(null);
    private static final long MAX_MILLIS = IdempotencyConfig.MAX_DURATION.toMillis();

    /** A record with its owner and absolute expiry (by the engine's clock), and its waiters' future. */
    private record Entry(StoredRecord.State state, String token, Fingerprint fingerprint, Outcome outcome,
            long expiresAtMillis, CompletableFuture<Void> settled) {
        boolean isLiveAt(long nowMillis) {
            return expiresAtMillis > nowMillis;
        }

        boolean ownedBy(String owner, long nowMillis) {
            return state == StoredRecord.State.IN_FLIGHT && owner.equals(token) && isLiveAt(nowMillis);
        }

        StoredRecord record(long nowMillis) {
            return state == StoredRecord.State.IN_FLIGHT
                    ? StoredRecord.inFlight(token, fingerprint, Math.max(0, expiresAtMillis - nowMillis))
                    : StoredRecord.completed(fingerprint, outcome);
        }
    }

    private final ConcurrentHashMap<String, Entry> map = new ConcurrentHashMap<>();

    private InMemoryIdempotencyStore() {
    }

    /**
     * An empty store.
     *
     * @return the store
     */
    public static InMemoryIdempotencyStore create() {
        return new InMemoryIdempotencyStore();
    }

    /** Forgets every record; waiters of in-flight records are woken. */
    public void clear() {
        for (String key : map.keySet()) {
            settle(map.remove(key));
        }
    }

    /**
     * How many records the store holds, expired ones included.
     *
     * @return the count
     */
    public int size() {
        return map.size();
    }

    @Override
    public CompletionStage<ClaimResult> claim(String key, String token, Fingerprint fingerprint, long nowMillis,
            long leaseMillis) {
        requireMillis("lease", leaseMillis);
        Entry[] replaced = new Entry[1];
        Entry result = map.compute(key, (k, current) -> {
            if (current != null && current.isLiveAt(nowMillis)) {
                return current;
            }
            replaced[0] = current;
            return new Entry(StoredRecord.State.IN_FLIGHT, token, fingerprint, null,
                    expiry(nowMillis, leaseMillis), new CompletableFuture<>());
        });
        settle(replaced[0]);
        return CompletableFuture.completedFuture(result.ownedBy(token, nowMillis) ? ClaimResult.CLAIMED
                : result.record(nowMillis));
    }

    @Override
    public CompletionStage<Boolean> complete(String key, String token, Fingerprint fingerprint, Outcome outcome,
            long nowMillis, long ttlMillis) {
        requireMillis("ttl", ttlMillis);
        Entry[] previous = new Entry[1];
        boolean[] recorded = new boolean[1];
        map.computeIfPresent(key, (k, current) -> {
            if (!current.ownedBy(token, nowMillis)) {
                // a retried complete by the same owner: still recorded while its record lives
                recorded[0] = current.state() == StoredRecord.State.COMPLETED && token.equals(current.token())
                        && current.isLiveAt(nowMillis);
                return current;
            }
            previous[0] = current;
            recorded[0] = true;
            return new Entry(StoredRecord.State.COMPLETED, token, fingerprint, outcome,
                    expiry(nowMillis, ttlMillis), null);
        });
        settle(previous[0]);
        return CompletableFuture.completedFuture(recorded[0]);
    }

    @Override
    public CompletionStage<Boolean> release(String key, String token, long nowMillis) {
        Entry[] previous = new Entry[1];
        map.computeIfPresent(key, (k, current) -> {
            if (!current.ownedBy(token, nowMillis)) {
                return current;
            }
            previous[0] = current;
            return null;
        });
        return CompletableFuture.completedFuture(settle(previous[0]));
    }

    @Override
    public CompletionStage<Boolean> renew(String key, String token, long nowMillis, long leaseMillis) {
        requireMillis("lease", leaseMillis);
        boolean[] renewed = new boolean[1];
        map.computeIfPresent(key, (k, current) -> {
            if (!current.ownedBy(token, nowMillis)) {
                return current;
            }
            renewed[0] = true;
            return new Entry(StoredRecord.State.IN_FLIGHT, token, current.fingerprint(), null,
                    expiry(nowMillis, leaseMillis), current.settled());
        });
        return CompletableFuture.completedFuture(renewed[0]);
    }

    @Override
    public CompletionStage<?> whenSettled(String key) {
        Entry entry = map.get(key);
        return entry == null || entry.settled() == null ? SETTLED : entry.settled();
    }

    @Override
    public boolean keepsObjects() {
        return true;
    }

    private static void requireMillis(String name, long millis) {
        if (millis < 1 || millis > MAX_MILLIS) {
            throw new IllegalArgumentException("the " + name + " must lie between 1 ms and "
                    + "IdempotencyConfig.MAX_DURATION (" + MAX_MILLIS + " ms), got " + millis + " ms");
        }
    }

    /** Saturates instead of overflowing: a clock set far in the future must not wrap an expiry into the past. */
    private static long expiry(long nowMillis, long durationMillis) {
        long sum = nowMillis + durationMillis;
        return ((nowMillis ^ sum) & (durationMillis ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    private static boolean settle(Entry previous) {
        if (previous == null) {
            return false;
        }
        if (previous.settled() != null) {
            previous.settled().complete(null);
        }
        return true;
    }

    @Override
    public String toString() {
        return "InMemoryIdempotencyStore[" + map.size() + " records]";
    }
}
