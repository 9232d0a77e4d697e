package dev.idem.core.internal;

import dev.idem.core.IdempotencyConfig;
import dev.idem.core.event.IdempotencyEvent;
import dev.idem.core.spi.IdempotencyStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Renews a claim's lease while the method body runs: every third of the lease, from one shared daemon thread that
 * only starts renewals and never waits for one. Each renewal is an asynchronous store operation, so a renewal that
 * hangs (a slow shard, a long timeout times retries) delays no other key's renewal.
 *
 * <p>Failures are reported before the lease can lapse: a renewal that fails, or that has not answered by the next
 * tick (a third of the lease later), is logged and reported as a {@code STORE_ERROR} event ({@code renew: ...}) while
 * at least a third of the lease is left; renewals keep being attempted while the body runs, since the store may come
 * back. When the store answers that the token no longer owns the key, renewal stops and the loss is reported as
 * {@code LEASE_LOST}.
 */
final class LeaseRenewal implements Runnable {
    private static final ScheduledThreadPoolExecutor SCHEDULER = createScheduler();

    private final IdempotencyConfig config;
    private final OperationSpec spec;
    private final IdempotencyStore store;
    private final String key;
    private final String token;
    private volatile ScheduledFuture<?> task;
    private volatile boolean stopped;
    /** The renewal started at the last tick, or null; only the scheduler thread writes it. */
    private CompletableFuture<Boolean> pending;
    /** Whether the current run of failures was reported already (one report per run, not one per tick). */
    private volatile boolean failureReported;

    private LeaseRenewal(IdempotencyConfig config, OperationSpec spec, IdempotencyStore store, String key,
            String token) {
        this.config = config;
        this.spec = spec;
        this.store = store;
        this.key = key;
        this.token = token;
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

    static LeaseRenewal start(IdempotencyConfig config, OperationSpec spec, IdempotencyStore store, String key,
            String token) {
        LeaseRenewal renewal = new LeaseRenewal(config, spec, store, key, token);
        long period = period(spec);
        renewal.task = SCHEDULER.scheduleWithFixedDelay(renewal, period, period, TimeUnit.MILLISECONDS);
        return renewal;
    }

    /** A third of the lease: a renewal that fails or hangs for one period is reported with a third still left. */
    static long period(OperationSpec spec) {
        return Math.max(1, spec.leaseMillis() / 3);
    }

    void stop() {
        stopped = true;
        ScheduledFuture<?> t = task;
        if (t != null) {
            t.cancel(false);
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
            stage = store.renew(key, token, config.clock().millis(), spec.leaseMillis());
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
