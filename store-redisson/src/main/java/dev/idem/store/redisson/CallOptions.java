package dev.idem.store.redisson;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.redisson.api.BatchOptions;
import org.redisson.api.options.InvocationOptions;
import org.redisson.api.options.OptionalOptions;
import org.redisson.api.options.PlainOptions;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.codec.StringCodec;

/**
 * What {@link RedissonIdempotencyStore} sets on each of its Redis calls over the client's own settings, and the one
 * place that turns those settings into Redisson's options: for the scripts, for a key's channel, and for the batch
 * that completes a record and waits for replicas.
 *
 * @param commandTimeout how long a command may take, or null for the client's {@code timeout}
 * @param retryAttempts how often a command is retried, or -1 for the client's {@code retryAttempts}
 * @param waitReplicas how many replicas must acknowledge a completed record, or 0 not to wait
 * @param waitReplicasTimeout how long the complete step waits for them; null when {@code waitReplicas} is 0
 */
record CallOptions(Duration commandTimeout, int retryAttempts, int waitReplicas, Duration waitReplicasTimeout) {

    /** The options of the scripts: bytes in and out (the store encodes text itself). */
    OptionalOptions scripts() {
        return applyTo(OptionalOptions.defaults().codec(ByteArrayCodec.INSTANCE));
    }

    /** The options of a key's pub/sub channel. */
    PlainOptions channel(String name) {
        return applyTo(PlainOptions.name(name).codec(StringCodec.INSTANCE));
    }

    /** Whether the complete step waits for replicas ({@link #completeBatch()}). */
    boolean waitsForReplicas() {
        return waitReplicas > 0;
    }

    /** The options of the batch that runs the complete script and a {@code WAIT} behind it. */
    BatchOptions completeBatch() {
        BatchOptions options = BatchOptions.defaults().sync(waitReplicas, waitReplicasTimeout);
        if (commandTimeout != null) {
            options = options.responseTimeout(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        if (retryAttempts >= 0) {
            options = options.retryAttempts(retryAttempts);
        }
        return options;
    }

    /** The same settings on a single command's options (a batch has options of another type). */
    private <T extends InvocationOptions<T>> T applyTo(T options) {
        if (commandTimeout != null) {
            options = options.timeout(commandTimeout);
        }
        if (retryAttempts >= 0) {
            options = options.retryAttempts(retryAttempts);
        }
        return options;
    }

    @Override
    public String toString() {
        return "commandTimeout=" + (commandTimeout == null ? "client's" : commandTimeout)
                + ", retryAttempts=" + (retryAttempts < 0 ? "client's" : retryAttempts)
                + (waitsForReplicas() ? ", waitForReplicas=" + waitReplicas + " within " + waitReplicasTimeout : "");
    }
}
