package dev.idem.store.redisson;

import static dev.idem.store.redisson.RecordLayout.bytes;
import static dev.idem.store.redisson.RecordLayout.number;

import dev.idem.core.spi.ClaimResult;
import dev.idem.core.spi.Fingerprint;
import dev.idem.core.spi.IdempotencyStore;
import dev.idem.core.spi.Outcome;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.redisson.Redisson;
import org.redisson.api.RBatch;
import org.redisson.api.RScript;
import org.redisson.api.RScriptAsync;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisNoScriptException;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.config.Config;

/**
 * The shared store, on Redis (standalone, Sentinel or Cluster) through Redisson. Every process that uses the same
 * Redis and the same keys sees the same records.
 *
 * <h2>Record layout</h2>
 * One Redis hash per key, named {@code {<full key>}}: the braces make the whole key the cluster hash tag, so the
 * record's slot depends on the key alone. Its field names and its state and outcome kind codes are spelled once, in
 * {@code RecordLayout}: the Lua scripts ({@code RedisScripts}) get them from there as Lua locals, and this class
 * writes completed records and reads claim replies only through it. Waiters are woken through the pub/sub channel
 * {@code idem:settled:{<full key>}} (channels are not bound to slots).
 *
 * <h2>How the atomic claim works</h2>
 * Each operation is one Lua script, run atomically by Redis and sent as one {@code EVALSHA}. A server that has not
 * cached the script yet answers {@code NOSCRIPT}; then, and only then, the store sends the script's text, which
 * Redisson loads with {@code SCRIPT LOAD} and runs by its SHA-1 ({@code EVAL} where the client's script cache is
 * off). Every script call goes through that one path ({@code bySha}). Claim-or-read returns either {@code CLAIMED}
 * or the live record, so a replay costs one round trip and a first call two (claim, complete). Complete, release and
 * renew first check that the caller's token still owns the key (fencing): a holder whose lease lapsed never
 * overwrites a newer owner. Complete and release publish on the key's channel inside the same script, so a waiter
 * that re-reads after the message sees the new state.
 *
 * <h2>Time</h2>
 * Expiry is judged by Redis's own clock, never by the callers' (whose clocks may disagree by more than a lease): a
 * record's lease or ttl is its key's expiry ({@code PEXPIRE}), so an expired record is simply absent, and an in-flight
 * record read by a claim reports its remaining lease ({@code PTTL}). The engine's clock ({@code nowMillis}) is ignored.
 * Each script checks its duration before it writes, so no record is ever left without an expiry.
 *
 * <h2>Threads</h2>
 * Every operation is asynchronous (through Redisson's async API, with the {@code NOSCRIPT} fallback chained, not
 * waited for), so each works from any thread, Redisson's own I/O threads included, and a renewal that hangs on one
 * shard holds up nothing else.
 *
 * <h2>Waiting</h2>
 * {@link #whenSettled} subscribes to the key's channel first and only then re-reads the state on the primary (a
 * script), so a completion
 * between the caller's claim and the subscription is not missed; the listener is removed when the future completes.
 * An in-flight record that simply expires publishes nothing: the engine never waits past the holder's lease.
 *
 * <h2>Failures and timeouts</h2>
 * A Redis error or timeout completes the operation's stage with Redisson's exception (the engine turns it into an
 * {@code IdempotencyStoreException}). A command fails after at most about
 * {@code timeout * (retryAttempts + 1) + retryInterval * retryAttempts}; the client's settings apply (Redisson's
 * defaults: 3 s, 3 retries, 1.5 s apart) unless {@link Builder#commandTimeout} and {@link Builder#retryAttempts}
 * set tighter ones for this store's commands ({@code CallOptions} applies them to every call: the scripts, the
 * channel, the batch that waits for replicas). Scripts are safe to retry: a retried claim or complete of the same
 * owner is recognised by its token.
 *
 * <p>Thread-safe.
 */
public final class RedissonIdempotencyStore implements IdempotencyStore, AutoCloseable {

    /** The default of {@link Builder#settleRecheck(Duration)}: 5 seconds. */
    public static final Duration DEFAULT_SETTLE_RECHECK = Duration.ofSeconds(5);

    /** The prefix of the per-key channels waiters listen on. */
    static final String CHANNEL_PREFIX = "idem:settled:";

    private static final Long ONE = 1L;
    private static final System.Logger LOG = System.getLogger(RedissonIdempotencyStore.class.getName());

    private final RedissonClient client;
    private final boolean ownsClient;
    private final CallOptions options;
    private final RScript script;
    private final Duration settleRecheck;

    private RedissonIdempotencyStore(Builder builder, boolean ownsClient) {
        this.client = builder.client;
        this.ownsClient = ownsClient;
        this.options = new CallOptions(builder.commandTimeout, builder.retryAttempts, builder.waitReplicas,
                builder.waitReplicasTimeout);
        this.script = client.getScript(options.scripts());
        this.settleRecheck = builder.settleRecheck;
    }

    /**
     * A store on the caller's client, with the client's timeouts. The caller keeps ownership of the client:
     * {@link #close()} does not shut it down.
     *
     * @param client the Redisson client
     * @return the store
     */
    public static RedissonIdempotencyStore create(RedissonClient client) {
        return builder(client).build();
    }

    /**
     * A builder for a store on the caller's client.
     *
     * @param client the Redisson client; the caller keeps ownership of it
     * @return the builder
     */
    public static Builder builder(RedissonClient client) {
        return new Builder(Objects.requireNonNull(client, "client"));
    }

    /**
     * A store on a client of its own, built from a Redisson YAML configuration file; {@link #close()} shuts that
     * client down.
     *
     * @param yaml the Redisson configuration
     * @return the store
     * @throws UncheckedIOException if the file cannot be read or parsed
     */
    public static RedissonIdempotencyStore fromConfig(File yaml) {
        return owning(yaml, () -> Config.fromYAML(yaml));
    }

    /**
     * A store on a client of its own, built from a Redisson YAML configuration resource; {@link #close()} shuts that
     * client down.
     *
     * @param yaml the Redisson configuration
     * @return the store
     * @throws UncheckedIOException if the resource cannot be read or parsed
     */
    public static RedissonIdempotencyStore fromConfig(URL yaml) {
        return owning(yaml, () -> Config.fromYAML(yaml));
    }

    /**
     * A store on a client of its own, built from a Redisson configuration object; {@link #close()} shuts that client
     * down.
     *
     * @param config the Redisson configuration, for example
     *     {@code new Config().useSingleServer().setAddress("redis://127.0.0.1:6379")}'s owner
     * @return the store
     */
    public static RedissonIdempotencyStore fromConfig(Config config) {
        return owning(Objects.requireNonNull(config, "config"));
    }

    /** Reads a Redisson YAML configuration. */
    @FunctionalInterface
    private interface YamlConfig {
        Config read() throws IOException;
    }

    private static RedissonIdempotencyStore owning(Object source, YamlConfig yaml) {
        Config config;
        try {
            config = yaml.read();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Redisson configuration " + source, e);
        }
        return owning(config);
    }

    private static RedissonIdempotencyStore owning(Config config) {
        return new RedissonIdempotencyStore(new Builder(Redisson.create(config)), true);
    }

    @Override
    public CompletionStage<ClaimResult> claim(String key, String token, Fingerprint fingerprint, long nowMillis,
            long leaseMillis) {
        String redisKey = redisKey(key);
        requireDuration("leaseMillis", leaseMillis);
        CompletionStage<List<byte[]>> reply = run(redisKey, ReturnTypes.LIST, RedisScripts.CLAIM,
                bytes(token), bytes(fingerprint.hash()), number(leaseMillis));
        return reply.thenApply(RecordLayout::claimResult);
    }

    @Override
    public CompletionStage<Boolean> complete(String key, String token, Fingerprint fingerprint, Outcome outcome,
            long nowMillis, long ttlMillis) {
        String redisKey = redisKey(key);
        requireDuration("ttlMillis", ttlMillis);
        List<Object> args = new ArrayList<>(16);
        args.add(bytes(token));
        args.add(number(ttlMillis));
        args.add(bytes(channel(redisKey)));
        args.addAll(RecordLayout.completedRecord(token, fingerprint, outcome));
        CompletionStage<Long> done = options.waitsForReplicas()
                ? completeAndWait(redisKey, args.toArray())
                : run(redisKey, ReturnTypes.LONG, RedisScripts.COMPLETE, args.toArray());
        return done.thenApply(ONE::equals);
    }

    @Override
    public CompletionStage<Boolean> release(String key, String token, long nowMillis) {
        String redisKey = redisKey(key);
        CompletionStage<Long> done = run(redisKey, ReturnTypes.LONG, RedisScripts.RELEASE, bytes(token),
                bytes(channel(redisKey)));
        return done.thenApply(ONE::equals);
    }

    @Override
    public CompletionStage<Boolean> renew(String key, String token, long nowMillis, long leaseMillis) {
        String redisKey = redisKey(key);
        requireDuration("leaseMillis", leaseMillis);
        CompletionStage<Long> done = run(redisKey, ReturnTypes.LONG, RedisScripts.RENEW, bytes(token),
                number(leaseMillis));
        return done.thenApply(ONE::equals);
    }

    @Override
    public CompletionStage<?> whenSettled(String key) {
        String redisKey = redisKey(key);
        CompletableFuture<Void> settled = new CompletableFuture<>();
        RTopic topic = client.getTopic(options.channel(channel(redisKey)));
        topic.addListenerAsync(String.class, (channel, message) -> settled.complete(null))
                .whenComplete((listenerId, subscribeError) -> {
                    if (subscribeError != null) {
                        settled.completeExceptionally(subscribeError);
                        return;
                    }
                    settled.whenComplete((ignored, error) -> topic.removeListenerAsync(listenerId));
                    // Subscribed: only now is a re-read safe from a completion slipping in between. It must read
                    // the primary (a script does): a lagging replica would still say "in flight" after the
                    // completion whose message came before the subscription, and the waiter would sleep on.
                    this.<byte[]>run(redisKey, ReturnTypes.VALUE, RedisScripts.STATE)
                            .whenComplete((state, readError) -> {
                                if (readError != null || !RecordLayout.isInFlight(state)) {
                                    settled.complete(null);
                                }
                            });
                });
        if (settleRecheck != null) {
            // A spurious completion only makes the engine re-read; it bounds how long a lost message could cost.
            settled.completeOnTimeout(null, settleRecheck.toMillis(), TimeUnit.MILLISECONDS);
        }
        return settled;
    }

    @Override
    public boolean keepsObjects() {
        return false;
    }

    @Override
    public boolean isShared() {
        return true;
    }

    /** False: expiry is Redis's own ({@code PEXPIRE}, {@code PTTL}); the engine's clock is never read for this store. */
    @Override
    public boolean usesEngineClock() {
        return false;
    }

    /**
     * Shuts down the Redisson client if this store created it ({@link #fromConfig}); a client passed in by the caller
     * is left running.
     */
    @Override
    public void close() {
        if (ownsClient) {
            client.shutdown();
        }
    }

    @Override
    public String toString() {
        return "RedissonIdempotencyStore[" + options + "]";
    }

    /**
     * The Redis key of a record: the whole stored key is the hash tag, so the slot depends on the whole key, whatever
     * characters the prefix and the key hold (the engine's stored keys carry no braces, see {@code StoreKeys}).
     */
    static String redisKey(String fullKey) {
        if (fullKey.indexOf('{') >= 0 || fullKey.indexOf('}') >= 0) {
            throw new IllegalArgumentException("a stored key must not contain braces (see StoreKeys): " + fullKey);
        }
        return "{" + fullKey + "}";
    }

    private static void requireDuration(String name, long millis) {
        if (millis < 1 || millis > RedisScripts.MAX_MILLIS) {
            throw new IllegalArgumentException(name + " must be from 1 to " + RedisScripts.MAX_MILLIS
                    + " (IdempotencyConfig.MAX_DURATION), got " + millis);
        }
    }

    /** The pub/sub channel that announces that a key's in-flight record was settled. */
    static String channel(String redisKey) {
        return CHANNEL_PREFIX + redisKey;
    }

    /** Runs a script on the record's key, with this store's call options; see {@link #bySha}. */
    private <R> CompletionStage<R> run(String redisKey, RScript.ReturnType returnType, RedisScripts.Script lua,
            Object... args) {
        return bySha(bySha -> send(script, bySha, redisKey, returnType, lua, args));
    }

    /**
     * The complete script and a {@code WAIT replicas timeout} behind it on the same connection, as one Redisson batch:
     * the reply comes once enough replicas acknowledged the write, or after the timeout with fewer (logged).
     */
    private CompletionStage<Long> completeAndWait(String redisKey, Object[] args) {
        return bySha(bySha -> {
            RBatch batch = client.createBatch(options.completeBatch());
            send(batch.getScript(ByteArrayCodec.INSTANCE), bySha, redisKey, ReturnTypes.LONG, RedisScripts.COMPLETE,
                    args);
            return batch.executeAsync().thenApply(result -> {
                if (result.getSyncedSlaves() < options.waitReplicas()) {
                    LOG.log(System.Logger.Level.WARNING, "the record {0} was acknowledged by {1} of {2} replicas "
                            + "within {3}; a failover before they catch up can lose it", redisKey,
                            result.getSyncedSlaves(), options.waitReplicas(), options.waitReplicasTimeout());
                }
                return (Long) result.getResponses().get(0);
            });
        });
    }

    /** Sends a script for the record's key, by its SHA-1 or by its text, to a client's or a batch's scripts. */
    private static <R> CompletionStage<R> send(RScriptAsync target, boolean bySha, String redisKey,
            RScript.ReturnType returnType, RedisScripts.Script lua, Object... args) {
        List<Object> keys = List.of(redisKey);
        return bySha
                ? target.evalShaAsync(redisKey, RScript.Mode.READ_WRITE, lua.sha(), returnType, keys, args)
                : target.evalAsync(redisKey, RScript.Mode.READ_WRITE, lua.text(), returnType, keys, args);
    }

    /** One attempt at a script call: by its SHA-1, or by its text. */
    @FunctionalInterface
    private interface ScriptCall<R> {
        CompletionStage<R> send(boolean bySha);
    }

    /**
     * The store's one way to meet {@code NOSCRIPT}, used by every script call: send by SHA-1, and only where the
     * server has not cached the script (first use, a restart, a {@code SCRIPT FLUSH}, a failover to a replica that
     * never saw it) send it once more by its text, which Redisson loads into the server's cache. A script is safe to
     * run again, since a retried claim or complete of the same owner is recognised by its token. The fallback is
     * chained, never waited for, so this works from any thread, Redisson's own included; any other error completes
     * the stage as it came, without {@code CompletionException}.
     */
    private static <R> CompletionStage<R> bySha(ScriptCall<R> call) {
        CompletionStage<R> first;
        try {
            first = call.send(true);
        } catch (RuntimeException e) {
            if (!noScript(e)) {
                return CompletableFuture.failedFuture(e);
            }
            first = CompletableFuture.failedFuture(e);
        }
        // A reply passes through one dependent stage (CompletableFuture's own exceptionallyCompose; the interface's
        // default would build a handle and a compose stage); only a failure builds more.
        return first.toCompletableFuture().exceptionallyCompose(error -> {
            if (!noScript(error)) {
                return CompletableFuture.<R>failedFuture(error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error);
            }
            try {
                return call.send(false);
            } catch (RuntimeException e) {
                return CompletableFuture.<R>failedFuture(e);
            }
        });
    }

    private static boolean noScript(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RedisNoScriptException || (t.getMessage() != null && t.getMessage().contains("NOSCRIPT"))) {
                return true;
            }
        }
        return false;
    }

    /** Builds a {@link RedissonIdempotencyStore}. Not thread-safe. */
    public static final class Builder {
        private final RedissonClient client;
        private Duration commandTimeout;
        private int retryAttempts = -1;
        private Duration settleRecheck = DEFAULT_SETTLE_RECHECK;
        private int waitReplicas;
        private Duration waitReplicasTimeout;

        private Builder(RedissonClient client) {
            this.client = client;
        }

        /**
         * How long each of this store's Redis commands may take before it fails (Redisson's per-call
         * {@code timeout}). Default: the client's {@code timeout}.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = requireBounded("commandTimeout", timeout);
            return this;
        }

        /**
         * How often Redisson retries one of this store's commands that failed to be sent or timed out. Default: the
         * client's {@code retryAttempts}. Zero fails fastest.
         *
         * @param attempts zero or more
         * @return this builder
         */
        public Builder retryAttempts(int attempts) {
            if (attempts < 0) {
                throw new IllegalArgumentException("retryAttempts must be zero or more, got " + attempts);
            }
            this.retryAttempts = attempts;
            return this;
        }

        /**
         * A safety net for waiters: after this long without a message, a waiter re-reads the record anyway, so a
         * pub/sub message lost in a failover or reconnect costs at most this much. Default:
         * {@link #DEFAULT_SETTLE_RECHECK}.
         *
         * @param interval positive
         * @return this builder
         */
        public Builder settleRecheck(Duration interval) {
            this.settleRecheck = requireBounded("settleRecheck", interval);
            return this;
        }

        /**
         * Makes the complete step (the write that records an outcome) wait until at least {@code replicas} replicas
         * of the key's primary have acknowledged it, or {@code timeout} has passed: Redis's {@code WAIT}, sent by
         * Redisson in the same batch right behind the completing script. Off by default.
         *
         * <p>Why: Redis replicates asynchronously. A primary that acknowledges a record and dies before a replica has
         * it loses it when that replica takes over, and a retry of that key then runs the body again. Waiting narrows
         * that window to the records whose wait timed out (logged as a warning; the caller still gets its result).
         * It does not make Redis strongly consistent: a replica that acknowledged can still lose the write in other
         * failure sequences, and the write is not rolled back when too few replicas acknowledge in time.
         *
         * <p>Cost: only first calls pay (claims, releases, renewals and replays are unchanged): one more command,
         * pipelined with the script, whose reply comes when the replicas acknowledged, typically a replication round
         * trip, at most {@code timeout}.
         *
         * @param replicas how many replicas must acknowledge, at least 1
         * @param timeout how long to wait at most, positive (Redis's {@code WAIT} with 0 would wait forever)
         * @return this builder
         */
        public Builder waitForReplicas(int replicas, Duration timeout) {
            if (replicas < 1) {
                throw new IllegalArgumentException("waitForReplicas needs at least 1 replica, got " + replicas);
            }
            this.waitReplicasTimeout = requireBounded("the waitForReplicas timeout", timeout);
            this.waitReplicas = replicas;
            return this;
        }

        /** At least 1 ms and at most {@code IdempotencyConfig.MAX_DURATION}: its milliseconds never overflow. */
        private static Duration requireBounded(String name, Duration duration) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative() || duration.compareTo(Duration.ofMillis(1)) < 0) {
                throw new IllegalArgumentException(name + " must be at least 1ms, got " + duration);
            }
            if (duration.compareTo(dev.idem.core.IdempotencyConfig.MAX_DURATION) > 0) {
                throw new IllegalArgumentException(name + " must be at most 36500d (IdempotencyConfig.MAX_DURATION), "
                        + "got " + duration);
            }
            return duration;
        }

        /**
         * Builds the store.
         *
         * @return the store
         */
        public RedissonIdempotencyStore build() {
            return new RedissonIdempotencyStore(this, false);
        }
    }
}
