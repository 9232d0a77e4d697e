package dev.idem.core;

import dev.idem.core.spi.IdempotencyStore;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Renews a claim's lease while the method body runs: every third of the lease, on one shared daemon thread. Renewal
 * stops when the body finishes or when the store says the token no longer owns the key (the lease lapsed: reported
 * as {@code LEASE_LOST}).
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
        long period = Math.max(1, spec.leaseMillis / 3);
        renewal.task = SCHEDULER.scheduleWithFixedDelay(renewal, period, period, TimeUnit.MILLISECONDS);
        return renewal;
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
        try {
            if (!store.renew(key, token, config.clock().millis(), spec.leaseMillis) && !stopped) {
                stop();
                Engine.LOG.log(System.Logger.Level.ERROR, "the lease of a running call of {0} lapsed before it "
                        + "could be renewed; another call may run the method. Raise the lease.", spec.operation);
                Engine.emit(config, IdempotencyEvent.Type.LEASE_LOST, spec, 0, "renew");
            }
        } catch (RuntimeException e) {
            // Keep trying while the lease lasts: the store may come back.
            Engine.LOG.log(System.Logger.Level.WARNING, "renewing the lease of " + spec.operation + " failed", e);
        }
    }
}
