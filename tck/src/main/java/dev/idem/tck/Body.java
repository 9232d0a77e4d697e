package dev.idem.tck;

import dev.idem.tck.Model.ChargeRequest;
import dev.idem.tck.Model.Receipt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The method bodies behind both entry points: counts runs per key, can hold a run at a gate and can fail on demand.
 */
final class Body {
    private final ConcurrentHashMap<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    private final AtomicLong serials = new AtomicLong();
    private final AtomicInteger total = new AtomicInteger();
    private volatile CountDownLatch gate;
    private volatile CountDownLatch entered = new CountDownLatch(0);
    private volatile Supplier<? extends Throwable> failure;
    private volatile boolean interruptCaller;

    /** Counts a run of {@code key}, waits at the gate if one is set, then fails if told to. */
    void run(String key) throws Exception {
        runs.computeIfAbsent(String.valueOf(key), k -> new AtomicInteger()).incrementAndGet();
        total.incrementAndGet();
        entered.countDown();
        CountDownLatch g = gate;
        if (g != null && !g.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("test gate never opened");
        }
        if (interruptCaller) {
            Thread.currentThread().interrupt(); // the body returns normally, leaving the flag set
        }
        Supplier<? extends Throwable> f = failure;
        if (f != null) {
            Throwable t = f.get();
            if (t instanceof Exception e) {
                throw e;
            }
            throw (Error) t;
        }
    }

    Receipt receipt(ChargeRequest request) throws Exception {
        run(request == null ? "null" : request.id());
        return new Receipt(request.id(), request.amount(), serials.incrementAndGet());
    }

    long nextSerial() {
        return serials.incrementAndGet();
    }

    int runs(String key) {
        AtomicInteger n = runs.get(key);
        return n == null ? 0 : n.get();
    }

    int totalRuns() {
        return total.get();
    }

    /** Holds every run at a gate until {@link #open()}; returns a latch that counts runs reaching it. */
    CountDownLatch closeGate(int expectedRuns) {
        CountDownLatch reached = new CountDownLatch(expectedRuns);
        entered = reached;
        gate = new CountDownLatch(1);
        return reached;
    }

    void open() {
        CountDownLatch g = gate;
        gate = null;
        if (g != null) {
            g.countDown();
        }
    }

    /** Makes every run return with its thread's interrupt flag set, as code that was interrupted and went on does. */
    void interruptCaller(boolean interrupt) {
        this.interruptCaller = interrupt;
    }

    void failWith(Supplier<? extends Throwable> failure) {
        this.failure = failure;
    }
}
