package dev.idem.examples.ctw;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.event.IdempotencyEvent;
import dev.idem.core.IdempotencyKeyReuseException;
import dev.idem.examples.ctw.PaymentService.Receipt;
import dev.idem.store.caffeine.CaffeineIdempotencyStore;
import dev.idem.testing.MutableClock;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A plain Java app whose {@code @Idempotent} methods ({@link PaymentService#charge}, {@link QuoteService#quote}) are
 * woven at compile time by the AspectJ Maven plugin with {@code idem-aspect} as its aspect library. It walks through
 * idem's behaviour in five numbered steps and prints, after each, how many times the method body ran.
 *
 * <p>Run it from the repository root with
 * {@code mvn -B -q -pl examples/ctw -am package -DskipTests -Pdemo}. It exits with status 0 and a final
 * {@code SUMMARY: OK} line when every step behaved as described, and fails otherwise.
 */
public final class DemoApp {

    /** How many duplicates call the slow method at once in step 3. */
    static final int CONCURRENT_CALLERS = 8;

    /** How long the slow method of step 3 takes. */
    static final long SLOW_CALL_MILLIS = 500;

    private DemoApp() {
    }

    /**
     * Runs the demo on standard output.
     *
     * @param args ignored
     * @throws Exception if a step failed or did not behave as described
     */
    public static void main(String[] args) throws Exception {
        Summary summary = run(System.out);
        if (!summary.ok()) {
            throw new IllegalStateException("the demo did not behave as described: " + summary);
        }
    }

    /**
     * What the demo observed: the counts that the printed lines talk about.
     *
     * @param chargesAfterFirstCall body runs of {@code charge} after step 1
     * @param chargesAfterRetries body runs of {@code charge} after the retries of step 2
     * @param retries how many retries step 2 made
     * @param retriesReplayed how many of them got the first receipt back
     * @param concurrentCallers how many callers step 3 started at once
     * @param distinctConcurrentResults how many different results those callers got
     * @param quoteComputations body runs of {@code quote} after step 3
     * @param mismatchMessage the message of the {@code IdempotencyKeyReuseException} of step 4, or null if none
     * @param chargesAfterMismatch body runs of {@code charge} after step 4
     * @param chargesBeforeExpiry body runs of {@code charge} in step 5 before the ttl passed
     * @param chargesAfterExpiry body runs of {@code charge} after the ttl passed
     * @param events how many events of each type the listener received
     */
    public record Summary(int chargesAfterFirstCall, int chargesAfterRetries, int retries, int retriesReplayed,
            int concurrentCallers, int distinctConcurrentResults, int quoteComputations, String mismatchMessage,
            int chargesAfterMismatch, int chargesBeforeExpiry, int chargesAfterExpiry,
            Map<IdempotencyEvent.Type, Integer> events) {

        /**
         * Whether every step behaved as the demo says it does.
         *
         * @return true if so
         */
        public boolean ok() {
            return chargesAfterFirstCall == 1
                    && chargesAfterRetries == 1 && retriesReplayed == retries
                    && distinctConcurrentResults == 1 && quoteComputations == 1
                    && mismatchMessage != null && chargesAfterMismatch == 1
                    && chargesBeforeExpiry == 2 && chargesAfterExpiry == 3;
        }
    }

    /**
     * Runs the five steps, printing what happens.
     *
     * @param out where to print
     * @return the counts observed
     * @throws Exception if a step fails unexpectedly
     */
    public static Summary run(PrintStream out) throws Exception {
        // One configuration, installed once at start-up. The store is the one zero-configuration would pick anyway
        // (Caffeine); the clock is ours so that step 5 can move time forward; the listener counts decisions.
        MutableClock clock = MutableClock.at(Instant.parse("2025-01-01T09:00:00Z"));
        AtomicIntegerArray eventCounts = new AtomicIntegerArray(IdempotencyEvent.Type.values().length);
        Idempotency.configure(IdempotencyConfig.builder()
                .defaultStore(CaffeineIdempotencyStore.create())
                .clock(clock)
                .listener(event -> eventCounts.incrementAndGet(event.type().ordinal()))
                .build());

        PaymentService payments = new PaymentService();
        QuoteService quotes = new QuoteService(SLOW_CALL_MILLIS);

        out.println("idem demo: compile-time woven @Idempotent methods on an in-process Caffeine store");
        out.println();

        // Step 1
        out.println("Step 1. First call: charge(\"pay-1001\", 2500 cents)");
        Receipt first = payments.charge("pay-1001", 2500);
        out.println("  -> " + first);
        out.println("  The body ran and idem recorded its receipt. charge body runs so far: " + payments.charges());
        int chargesAfterFirstCall = payments.charges();
        out.println();

        // Step 2
        int retries = 3;
        out.println("Step 2. The client retries " + retries + " times with the same key and the same payload");
        int replayed = 0;
        for (int i = 1; i <= retries; i++) {
            Receipt again = payments.charge("pay-1001", 2500);
            boolean same = again.equals(first);
            if (same) {
                replayed++;
            }
            out.println("  retry " + i + " -> " + again + (same ? "  (the recorded receipt)" : "  (NEW receipt!)"));
        }
        out.println("  Each retry replayed the recorded receipt; the card was not charged again. "
                + "charge body runs so far: " + payments.charges());
        int chargesAfterRetries = payments.charges();
        out.println();

        // Step 3
        out.println("Step 3. " + CONCURRENT_CALLERS + " concurrent duplicates of a slow call: quote(\"quote-77\"), "
                + "which takes " + SLOW_CALL_MILLIS + " ms");
        int waitedBefore = eventCounts.get(IdempotencyEvent.Type.WAITED.ordinal());
        long started = System.nanoTime();
        List<String> results = callConcurrently(CONCURRENT_CALLERS, () -> quotes.quote("quote-77"));
        long elapsedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        Set<String> distinct = new LinkedHashSet<>(results);
        int waited = eventCounts.get(IdempotencyEvent.Type.WAITED.ordinal()) - waitedBefore;
        out.println("  all " + results.size() + " callers got: \"" + String.join("\", \"", distinct) + "\""
                + "  (distinct results: " + distinct.size() + ")");
        out.println("  One caller ran the body; " + waited + " waited for its outcome while it ran"
                + (waited < CONCURRENT_CALLERS - 1 ? " and the rest replayed it after it completed" : "")
                + ". Took " + elapsedMillis + " ms in all.");
        out.println("  quote body runs: " + quotes.computations());
        out.println();

        // Step 4
        out.println("Step 4. The same key with a different payload: charge(\"pay-1001\", 9900 cents)");
        String mismatchMessage = null;
        try {
            Receipt wrong = payments.charge("pay-1001", 9900);
            out.println("  -> " + wrong + "  (NOT refused!)");
        } catch (IdempotencyKeyReuseException e) {
            mismatchMessage = e.getMessage();
            out.println("  refused with IdempotencyKeyReuseException: " + e.getMessage());
        }
        out.println("  The body did not run and the record is untouched: charge(\"pay-1001\", 2500) still gives "
                + payments.charge("pay-1001", 2500).receiptNumber() + ". charge body runs so far: "
                + payments.charges());
        int chargesAfterMismatch = payments.charges();
        out.println();

        // Step 5
        out.println("Step 5. A ttl that expires: charge has ttl = \"24h\"; the injected clock stands at "
                + clock.instant());
        Receipt fresh = payments.charge("pay-2002", 4000);
        out.println("  charge(\"pay-2002\", 4000) -> " + fresh.receiptNumber() + "  (the body ran; charge body runs: "
                + payments.charges() + ")");
        clock.advance(Duration.ofHours(23));
        Receipt beforeExpiry = payments.charge("pay-2002", 4000);
        int chargesBeforeExpiry = payments.charges();
        out.println("  clock +23h (" + clock.instant() + "): same call -> " + beforeExpiry.receiptNumber()
                + "  (replayed; charge body runs: " + chargesBeforeExpiry + ")");
        clock.advance(Duration.ofHours(2));
        Receipt afterExpiry = payments.charge("pay-2002", 4000);
        int chargesAfterExpiry = payments.charges();
        out.println("  clock +2h more, 25h after the first call, past the ttl: same call -> "
                + afterExpiry.receiptNumber() + "  (the record expired, the body ran again; charge body runs: "
                + chargesAfterExpiry + ")");
        out.println();

        Map<IdempotencyEvent.Type, Integer> events = new EnumMap<>(IdempotencyEvent.Type.class);
        for (IdempotencyEvent.Type type : IdempotencyEvent.Type.values()) {
            int count = eventCounts.get(type.ordinal());
            if (count > 0) {
                events.put(type, count);
            }
        }
        out.println("Events seen by the IdempotencyListener: " + events);

        int chargeCalls = 1 + retries + 2 + 3; // steps 1, 2, 4 and 5
        Summary summary = new Summary(chargesAfterFirstCall, chargesAfterRetries, retries, replayed,
                CONCURRENT_CALLERS, distinct.size(), quotes.computations(), mismatchMessage, chargesAfterMismatch,
                chargesBeforeExpiry, chargesAfterExpiry, events);
        out.println(summary.ok()
                ? "SUMMARY: OK - charge body ran " + chargesAfterExpiry + " times for " + chargeCalls
                        + " calls, the slow quote body ran "
                        + quotes.computations() + " time for " + CONCURRENT_CALLERS + " concurrent callers, "
                        + "the reused key was refused, and the expired key ran again"
                : "SUMMARY: FAILED - " + summary);
        return summary;
    }

    /** Starts {@code callers} threads that call {@code call} at the same moment, and collects their results. */
    private static <T> List<T> callConcurrently(int callers, Callable<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch ready = new CountDownLatch(callers);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return call.call();
                }));
            }
            ready.await();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
