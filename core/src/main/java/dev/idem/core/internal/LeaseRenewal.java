package dev.idem.core.internal;

import dev.idem.core.IdempotencyConfig;
import dev.idem.core.event.IdempotencyEvent;
import dev.idem.core.spi.IdempotencyStore;
import dev.idem.core.spi.StoreKey;
import java.lang.invoke.VarHandle;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Renews a claim's lease while the method body runs: every third of the lease, from one shared daemon thread that
 * only starts renewals and never waits for one. Each renewal is an asynchronous store operation, so a renewal that
 * hangs (a slow shard, a long timeout times retries) delays no other key's renewal.
 *
 * <h2>Cheap to start and stop</h2>
 * Most bodies end long before their first renewal is due, so starting and stopping must cost next to nothing: a
 * running call is only added to a set of active renewals, and removed when it stops. One scan, woken when the
 * earliest renewal is due, renews what is due and sleeps until the next one; a call whose first renewal is due after
 * the scan's next wake-up (the usual case: leases are alike) schedules nothing. No task is scheduled or cancelled per
 * call, and no other thread is woken.
 *
 * <p>Failures are reported before the lease can lapse: a renewal that fails, or that has not answered by the next
 * tick (a third of the lease later), is logged and reported as a {@code STORE_ERROR} event ({@code renew: ...}) while
 * at least a third of the lease is left; renewals keep being attempted while the body runs, since the store may come
 * back. When the store answers that the token no longer owns the key, renewal stops and the loss is reported as
 * {@code LEASE_LOST}.
 */
final class LeaseRenewal implements Runnable {
    private static final ScheduledThreadPoolExecutor SCHEDULER = createScheduler();
    private static final Set<LeaseRenewal> ACTIVE = ConcurrentHashMap.newKeySet();
    private static final long NONE = Long.MAX_VALUE;
    private static final Object WAKE_LOCK = new Object();
    /** When the scan next runs ({@link System#nanoTime}), or {@link #NONE} while it runs or has nothing to wait for. */
    private static volatile long wakeAt = NONE;
    /** The scan's pending wake-up; guarded by {@link #WAKE_LOCK}. */
    private static ScheduledFuture<?> wakeUp;

    private final IdempotencyConfig config;
    private final OperationSpec spec;
    private final IdempotencyStore store;
    private final StoreKey key;
    private final String token;
    private final long periodNanos;
    /** When the next renewal is due ({@link System#nanoTime}); only the scan writes it after the start. */
    private long dueAt;
    private volatile boolean stopped;
    /** The renewal started at the last tick, or null; only the scheduler thread writes it. */
    private CompletableFuture<Boolean> pending;
    /** Whether the current run of failures was reported already (one report per run, not one per tick). */
    private volatile boolean failureReported;

    private LeaseRenewal(IdempotencyConfig config, OperationSpec spec, IdempotencyStore store, StoreKey key,
            String token) {
        this.config = config;
        this.spec = spec;
        this.store = store;
        this.key = key;
        this.token = token;
        this.periodNanos = TimeUnit.MILLISECONDS.toNanos(period(spec));
    }

    private static ScheduledThreadPoolExecutor createScheduler() {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "idem-lease-renewal");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }

    static LeaseRenewal start(IdempotencyConfig config, OperationSpec spec, IdempotencyStore store, StoreKey key,
            String token) {
        LeaseRenewal renewal = new LeaseRenewal(config, spec, store, key, token);
        long due = System.nanoTime() + renewal.periodNanos;
        renewal.dueAt = due;
        ACTIVE.add(renewal);
        // Dekker with scan(): this thread adds, fences, reads wakeAt; the scan writes NONE, fences, iterates. Either
        // this read sees NONE (and schedules a wake-up), or the scan's iteration sees this renewal.
        VarHandle.fullFence();
        long next = wakeAt;
        if (next == NONE || next - due > 0) {
            wakeNoLaterThan(due);
        }
        return renewal;
    }

    /** A third of the lease: a renewal that fails or hangs for one period is reported with a third still left. */
    static long period(OperationSpec spec) {
        return Math.max(1, spec.leaseMillis() / 3);
    }

    void stop() {
        stopped = true;
        ACTIVE.remove(this);
    }

    /** Whether nothing is being renewed and no scan is pending (for tests). */
    static boolean idle() {
        return ACTIVE.isEmpty() && wakeAt == NONE;
    }

    /** Makes the scan run at {@code due} at the latest. */
    private static void wakeNoLaterThan(long due) {
        synchronized (WAKE_LOCK) {
            long next = wakeAt;
            if (next != NONE && next - due <= 0) {
                return;
            }
            if (wakeUp != null) {
                wakeUp.cancel(false);
            }
            wakeAt = due;
            wakeUp = SCHEDULER.schedule(LeaseRenewal::scan, Math.max(0, due - System.nanoTime()),
                    TimeUnit.NANOSECONDS);
        }
    }

    /** On the scheduler thread: renews what is due, then sleeps until the next renewal is. */
    private static void scan() {
        synchronized (WAKE_LOCK) {
            wakeAt = NONE; // from here on, a new renewal schedules its own wake-up unless this scan finds it
            wakeUp = null;
        }
        VarHandle.fullFence(); // see start()
        long now = System.nanoTime();
        long earliest = NONE;
        for (LeaseRenewal renewal : ACTIVE) {
            if (renewal.dueAt - now <= 0) {
                renewal.dueAt = now + renewal.periodNanos;
                try {
                    renewal.run();
                } catch (RuntimeException | Error e) {
                    Events.LOG.log(System.Logger.Level.ERROR, "a lease renewal failed unexpectedly", e);
                }
            }
            if (earliest == NONE || renewal.dueAt - earliest < 0) {
                earliest = renewal.dueAt;
            }
        }
        if (earliest != NONE) {
            wakeNoLaterThan(earliest);
        }
    }

    @Override
    public void run() {
        if (stopped) {
            return;
        }
        CompletableFuture<Boolean> previous = pending;
        if (previous != null && !previous.isDone()) {
            reportFailure("the previous renewal has not answered within " + period(spec) + " ms", null);
        }
        CompletionStage<Boolean> stage;
        try {
            stage = store.renew(key, token, IdempotentCall.now(store, config), spec.leaseMillis());
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Boolean> current = stage.toCompletableFuture();
        pending = current;
        current.whenComplete((renewed, error) -> {
            if (stopped) {
                return;
            }
            if (error != null) {
                reportFailure("the store failed", Stages.unwrap(error));
            } else if (renewed) {
                failureReported = false;
            } else {
                stop();
                Events.LOG.log(System.Logger.Level.ERROR, "the lease of a running call of {0} lapsed before it "
                        + "could be renewed; another call may run the method. Raise the lease.", spec.operation());
                Events.emit(config, IdempotencyEvent.Type.LEASE_LOST, spec, 0, "renew");
            }
        });
    }

    private void reportFailure(String why, Throwable error) {
        if (failureReported) {
            return;
        }
        failureReported = true;
        Events.LOG.log(System.Logger.Level.WARNING, "renewing the lease (" + spec.leaseMillis() + " ms) of a running "
                + "call of " + spec.operation() + " failed: " + why + "; if renewals keep failing, the lease lapses "
                + "and another call may run the method. Still trying.", error);
        Events.emit(config, IdempotencyEvent.Type.STORE_ERROR, spec, 0, "renew: " + why
                + (error == null ? "" : ": " + error));
    }
}
