package dev.idem.store.redisson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.IdempotencyKeyReuseException;
import dev.idem.core.IdempotentOperation;
import dev.idem.core.IdempotentResult;
import dev.idem.core.spi.ClaimResult;
import dev.idem.core.spi.Fingerprint;
import dev.idem.core.spi.Outcome;
import dev.idem.core.spi.StoreKeys;
import dev.idem.core.spi.StoredRecord;
import dev.idem.store.caffeine.NearCachedStore;
import dev.idem.store.redisson.testing.CommandMonitor;
import dev.idem.store.redisson.testing.RedisServerExtension;
import dev.idem.store.redisson.testing.RespConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * The near-cache in front of the Redis store, against a real {@code redis-server}: a replay it answers sends no
 * command at all; what it keeps (completed records the store confirmed, never in-flight ones, never a refused or
 * failed write) and for how long (never past the record's expiry in Redis); what drops a copy; that the fingerprint is
 * still checked on a local hit; and the remaining ttl the claim script reports. {@code redis} and {@code elsewhere}
 * are two store objects on one client: {@code elsewhere} stands for another JVM that shares the Redis.
 */
class NearCacheOnRedisTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    private static final long LEASE = 60_000;
    private static final long TTL = 3_600_000;
    private static final Fingerprint FINGERPRINT = Fingerprint.ofHash("payload-hash");
    private static final Outcome DONE = Outcome.encodedValue("\"done\"".getBytes(StandardCharsets.UTF_8));
    private static final long WAIT_BOUND_SECONDS = 20;

    private static RedissonClient client;
    private RedissonIdempotencyStore redis;
    private RedissonIdempotencyStore elsewhere;
    private NearCachedStore near;
    private IdempotentOperation<String> operation;
    private int serial;

    @BeforeAll
    static void connect() {
        Config config = new Config();
        config.useSingleServer().setAddress(REDIS.server().address());
        client = Redisson.create(config);
    }

    @AfterAll
    static void disconnect() {
        client.shutdown();
    }

    @BeforeEach
    void configure() throws Exception {
        redisCommand("FLUSHALL");
        redis = RedissonIdempotencyStore.create(client);
        elsewhere = RedissonIdempotencyStore.create(client);
        near = NearCachedStore.wrap(redis);
        Idempotency.configure(IdempotencyConfig.builder().defaultStore(near).keyPrefix("near:").build());
        operation = Idempotency.operation("near.op", String.class).build();
        // Warm up: the first calls on a fresh server load the scripts (EVALSHA answered NOSCRIPT, then EVAL).
        call("warm-up", "payload");
        near.invalidateAll();
        call("warm-up", "payload");
    }

    @AfterEach
    void reset() {
        Idempotency.reset();
    }

    // --- commands per call ------------------------------------------------------------------------------------------

    @Test
    void replay_answeredByTheNearCache_sendsNoCommand() throws Exception {
        call("A", "payload");

        List<String> commands = CommandMonitor.commandsOf(REDIS.server(), () -> {
            IdempotentResult<String> replay = call("A", "payload");
            assertThat(replay.replayed()).isTrue();
            assertThat(replay.value()).isEqualTo("value-" + serial);
        });

        assertThat(commands).isEmpty();
    }

    @Test
    void firstCall_withTheNearCache_stillSendsTwoCommands_claimAndComplete() throws Exception {
        List<String> commands = CommandMonitor.commandsOf(REDIS.server(), () -> call("B", "payload"));

        assertThat(commands).containsExactly("EVALSHA", "EVALSHA");
    }

    @Test
    void replay_ofARecordThisJvmDidNotWrite_sendsOneCommand_thenNone() throws Exception {
        call("C", "payload");
        near.invalidateAll(); // as if another JVM had completed it

        assertThat(CommandMonitor.commandsOf(REDIS.server(), () -> call("C", "payload"))).containsExactly("EVALSHA");
        assertThat(CommandMonitor.commandsOf(REDIS.server(), () -> call("C", "payload"))).isEmpty();
    }

    @Test
    void aDifferentPayload_underAKeyTheNearCacheHolds_isStillRefused_withoutACommand() throws Exception {
        call("D", "payload");
        int runs = serial;

        List<String> commands = CommandMonitor.commandsOf(REDIS.server(), () ->
                assertThatThrownBy(() -> call("D", "another payload"))
                        .isInstanceOf(IdempotencyKeyReuseException.class));

        assertThat(commands).as("the mismatch was found on the local hit").isEmpty();
        assertThat(serial).as("the body did not run").isEqualTo(runs);
        assertThat(call("D", "payload").replayed()).isTrue();
    }

    // --- what is kept -----------------------------------------------------------------------------------------------

    @Test
    void anInFlightRecord_isNeverKept() throws Exception {
        assertThat(get(near.claim(key("k"), "t1", FINGERPRINT, 0, LEASE))).isSameAs(ClaimResult.CLAIMED);
        StoredRecord inFlight = (StoredRecord) get(near.claim(key("k"), "t2", FINGERPRINT, 0, LEASE));
        assertThat(inFlight.isInFlight()).isTrue();
        assertThat(inFlight.ttlRemainingMillis()).isEqualTo(-1);

        assertThat(get(elsewhere.complete(key("k"), "t1", FINGERPRINT, DONE, 0, TTL))).isTrue();
        StoredRecord seen = (StoredRecord) get(near.claim(key("k"), "t3", FINGERPRINT, 0, LEASE));

        assertThat(seen.isInFlight()).as("the in-flight record was not kept").isFalse();
    }

    @Test
    void aCompleteRefusedBecauseTheLeaseWasLost_keepsNothing() throws Exception {
        assertThat(get(near.claim(key("k"), "t1", FINGERPRINT, 0, 300))).isSameAs(ClaimResult.CLAIMED);
        awaitGoneFromRedis(key("k"));
        assertThat(get(elsewhere.claim(key("k"), "t2", FINGERPRINT, 0, LEASE))).isSameAs(ClaimResult.CLAIMED);

        assertThat(get(near.complete(key("k"), "t1", FINGERPRINT, DONE, 0, TTL))).isFalse();
        assertThat(get(elsewhere.release(key("k"), "t2", 0))).isTrue();

        assertThat(get(near.claim(key("k"), "t3", FINGERPRINT, 0, LEASE))).isSameAs(ClaimResult.CLAIMED);
    }

    @Test
    void aCompleteThatFailed_keepsNothing() throws Exception {
        assertThat(get(near.claim(key("k"), "t1", FINGERPRINT, 0, LEASE))).isSameAs(ClaimResult.CLAIMED);
        // The key now holds a string: the complete script's HMGET fails with WRONGTYPE, a real Redis error.
        redisCommand("SET", RedissonIdempotencyStore.redisKey(key("k")), "not a record");

        assertThatThrownBy(() -> get(near.complete(key("k"), "t1", FINGERPRINT, DONE, 0, TTL)))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("WRONGTYPE");
        redisCommand("DEL", RedissonIdempotencyStore.redisKey(key("k")));

        assertThat(get(near.claim(key("k"), "t2", FINGERPRINT, 0, LEASE))).isSameAs(ClaimResult.CLAIMED);
    }

    @Test
    void aRecordWithoutExpiry_isNotKept() throws Exception {
        completeElsewhere(key("k"), TTL);
        redisCommand("PERSIST", RedissonIdempotencyStore.redisKey(key("k")));

        StoredRecord record = (StoredRecord) get(near.claim(key("k"), "t2", FINGERPRINT, 0, LEASE));
        assertThat(record.ttlRemainingMillis()).as("PTTL -1 is unknown").isEqualTo(-1);

        assertThat(CommandMonitor.commandsOf(REDIS.server(),
                () -> get(near.claim(key("k"), "t3", FINGERPRINT, 0, LEASE)))).containsExactly("EVALSHA");
    }

    // --- for how long -----------------------------------------------------------------------------------------------

    @Test
    void aRecordWrittenHere_isNotReplayedLocally_onceRedisLetItExpire() throws Exception {
        assertThat(get(near.claim(key("k"), "t1", FINGERPRINT, 0, LEASE))).isSameAs(ClaimResult.CLAIMED);
        assertThat(get(near.complete(key("k"), "t1", FINGERPRINT, DONE, 0, 500))).isTrue();
        assertThat(CommandMonitor.commandsOf(REDIS.server(),
                () -> get(near.claim(key("k"), "t2", FINGERPRINT, 0, LEASE)))).as("kept").isEmpty();

        awaitGoneFromRedis(key("k"));

        assertThat(get(near.claim(key("k"), "t3", FINGERPRINT, 0, LEASE))).isSameAs(ClaimResult.CLAIMED);
    }

    @Test
    void aRecordReadHere_isNotReplayedLocally_onceRedisLetItExpire() throws Exception {
        completeElsewhere(key("k"), 500);
        StoredRecord read = (StoredRecord) get(near.claim(key("k"), "t2", FINGERPRINT, 0, LEASE));
        assertThat(read.isInFlight()).isFalse();
        assertThat(CommandMonitor.commandsOf(REDIS.server(),
                () -> get(near.claim(key("k"), "t3", FINGERPRINT, 0, LEASE)))).as("kept").isEmpty();

        awaitGoneFromRedis(key("k"));

        assertThat(get(near.claim(key("k"), "t4", FINGERPRINT, 0, LEASE))).isSameAs(ClaimResult.CLAIMED);
    }

    @Test
    void aRecordDeletedInRedisByHand_isStillReplayedLocally_untilMaximumLocalTtl() throws Exception {
        NearCachedStore bounded = NearCachedStore.builder(redis).maximumLocalTtl(Duration.ofMillis(300)).build();
        assertThat(get(bounded.claim(key("k"), "t1", FINGERPRINT, 0, LEASE))).isSameAs(ClaimResult.CLAIMED);
        // The local deadline counts from when the complete was sent (docs/stores.md), so the bounds below do too.
        long written = System.nanoTime();
        assertThat(get(bounded.complete(key("k"), "t1", FINGERPRINT, DONE, 0, TTL))).isTrue();

        redisCommand("DEL", RedissonIdempotencyStore.redisKey(key("k")));

        // What the near-cache changes (docs/stores.md): the local copy still answers, until its local deadline.
        ClaimResult stale = get(bounded.claim(key("k"), "t2", FINGERPRINT, 0, LEASE));
        if (System.nanoTime() - written < TimeUnit.MILLISECONDS.toNanos(300)) {
            assertThat(stale).isInstanceOf(StoredRecord.class);
        }
        awaitTrue("the local copy ended", () -> claimOf(bounded, key("k"), "t3") == ClaimResult.CLAIMED);
        assertThat(System.nanoTime() - written).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
    }

    // --- what drops a copy ------------------------------------------------------------------------------------------

    @Test
    void release_dropsTheKeysLocalCopy() throws Exception {
        assertThat(get(near.claim(key("k"), "t1", FINGERPRINT, 0, LEASE))).isSameAs(ClaimResult.CLAIMED);
        assertThat(get(near.complete(key("k"), "t1", FINGERPRINT, DONE, 0, TTL))).isTrue();
        redisCommand("DEL", RedissonIdempotencyStore.redisKey(key("k")));
        assertThat(get(elsewhere.claim(key("k"), "t2", FINGERPRINT, 0, LEASE))).isSameAs(ClaimResult.CLAIMED);
        assertThat(get(near.claim(key("k"), "t3", FINGERPRINT, 0, LEASE))).as("the stale local copy")
                .isInstanceOf(StoredRecord.class);

        assertThat(get(near.release(key("k"), "t2", 0))).isTrue();

        assertThat(get(near.claim(key("k"), "t4", FINGERPRINT, 0, LEASE))).isSameAs(ClaimResult.CLAIMED);
    }

    // --- the remaining ttl the claim script reports ------------------------------------------------------------------

    @Test
    void claim_ofACompletedRecord_reportsItsTtlLeft_asRedisCountsIt() throws Exception {
        completeElsewhere(key("k"), 60_000);

        StoredRecord record = (StoredRecord) get(redis.claim(key("k"), "t2", FINGERPRINT, 0, LEASE));
        long pttlAfter = (Long) redisCommand("PTTL", RedissonIdempotencyStore.redisKey(key("k")));

        assertThat(record.ttlRemainingMillis()).isBetween(pttlAfter, 60_000L).isGreaterThan(60_000L - 10_000);
        assertThat(record.leaseRemainingMillis()).isZero();
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private IdempotentResult<String> call(String key, String payload) {
        return operation.call(key, payload, () -> "value-" + (++serial));
    }

    private static String key(String name) {
        return StoreKeys.of("near:", "ns", name);
    }

    private void completeElsewhere(String key, long ttlMillis) throws Exception {
        assertThat(get(elsewhere.claim(key, "t1", FINGERPRINT, 0, LEASE))).isSameAs(ClaimResult.CLAIMED);
        assertThat(get(elsewhere.complete(key, "t1", FINGERPRINT, DONE, 0, ttlMillis))).isTrue();
    }

    private static ClaimResult claimOf(NearCachedStore store, String key, String token) {
        try {
            return get(store.claim(key, token, FINGERPRINT, 0, LEASE));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static <T> T get(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(WAIT_BOUND_SECONDS, TimeUnit.SECONDS);
    }

    private static Object redisCommand(String... words) throws Exception {
        try (RespConnection connection = REDIS.server().connect()) {
            return connection.command(words);
        }
    }

    /** Waits, bounded, until Redis itself no longer has the record (its lease or ttl passed by Redis's clock). */
    private static void awaitGoneFromRedis(String key) throws Exception {
        awaitTrue(key + " expired in Redis", () -> {
            try {
                return Long.valueOf(0).equals(redisCommand("EXISTS", RedissonIdempotencyStore.redisKey(key)));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_BOUND_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + WAIT_BOUND_SECONDS + " s: " + what);
            }
            Thread.sleep(10);
        }
    }
}
