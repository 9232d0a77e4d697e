package dev.idem.store.redisson;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.IdempotencyStoreException;
import dev.idem.core.IdempotentOperation;
import dev.idem.core.IdempotentResult;
import dev.idem.core.spi.StoreKeys;
import dev.idem.store.redisson.testing.RedisCluster;
import dev.idem.store.redisson.testing.RedisClusterExtension;
import dev.idem.store.redisson.testing.RespConnection;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * A primary of a real 3+3 cluster is killed with SIGKILL after its records reached its replica: the replica takes
 * over, calls recover, every recorded key replays (its body never runs again) and new keys run exactly once.
 */
class ClusterFailoverTest {
    @RegisterExtension
    static final RedisClusterExtension CLUSTER = RedisClusterExtension.forFailover();

    private static final int KEYS = 1_000;
    private static final int NEW_KEYS = 300;
    private static final long RECOVERY_BOUND_MILLIS = 30_000;

    private static RedissonClient client;
    private static ExecutorService threads;

    @BeforeAll
    static void connect() {
        Config config = new Config();
        config.useClusterServers().addNodeAddress(CLUSTER.cluster().addresses()).setScanInterval(500);
        client = Redisson.create(config);
        threads = Executors.newFixedThreadPool(16);
    }

    @AfterAll
    static void disconnect() {
        if (threads != null) {
            threads.shutdownNow();
        }
        if (client != null) {
            client.shutdown();
        }
    }

    @AfterEach
    void reset() {
        Idempotency.reset();
    }

    @Test
    void recordsOnTheReplicas_replayAfterTheirPrimaryIsKilled_andNewKeysRunOnce() throws Exception {
        Idempotency.configure(IdempotencyConfig.builder()
                .defaultStore(RedissonIdempotencyStore.builder(client)
                        .commandTimeout(Duration.ofSeconds(1)).retryAttempts(1).build())
                .keyPrefix("failover:")
                .build());
        IdempotentOperation<String> op = Idempotency.operation("pay", String.class).build();
        AtomicIntegerArray runs = new AtomicIntegerArray(KEYS + NEW_KEYS);
        RedisCluster cluster = CLUSTER.cluster();

        List<IdempotentResult<String>> first = callAll(op, 0, KEYS, runs);
        assertThat(first).allSatisfy(r -> assertThat(r.replayed()).isFalse());
        awaitReplicasCaughtUp(cluster);

        RedisCluster.Node victim = cluster.nodes().get(0);
        RedisCluster.Node heir = cluster.replicasOf(victim).get(0);
        long victimRecords = dbsize(victim);
        assertThat(dbsize(heir)).isEqualTo(victimRecords).isGreaterThan(KEYS / 6);

        long killedAt = System.nanoTime();
        victim.kill();
        cluster.awaitFailover(victim, RECOVERY_BOUND_MILLIS);
        long promotedMillis = millisSince(killedAt);

        // The first call after the failover may meet the client's stale view of the cluster: retry, bounded.
        String onHeir = firstKeyOn(cluster, heir);
        IdempotentResult<String> recovered = withRetry(() -> op.call(onHeir, "payload-" + onHeir,
                () -> "value-" + runs.incrementAndGet(Integer.parseInt(onHeir))));
        long recoveredMillis = millisSince(killedAt);
        System.out.printf("[ClusterFailoverTest] primary %s killed: replica %s promoted (failed flag, 3 healthy "
                + "primaries, cluster_state:ok) after %d ms; first call served after %d ms%n",
                victim, heir, promotedMillis, recoveredMillis);
        assertThat(recovered.replayed()).isTrue();

        List<IdempotentResult<String>> again = callAll(op, 0, KEYS, runs);
        for (int i = 0; i < KEYS; i++) {
            assertThat(runs.get(i)).as("runs of key %d", i).isEqualTo(1);
            assertThat(again.get(i).replayed()).as("key %d replayed", i).isTrue();
            assertThat(again.get(i).value()).isEqualTo(first.get(i).value());
        }

        List<IdempotentResult<String>> fresh = callAll(op, KEYS, NEW_KEYS, runs);
        List<IdempotentResult<String>> freshAgain = callAll(op, KEYS, NEW_KEYS, runs);
        for (int i = 0; i < NEW_KEYS; i++) {
            assertThat(runs.get(KEYS + i)).as("runs of new key %d", KEYS + i).isEqualTo(1);
            assertThat(fresh.get(i).replayed()).isFalse();
            assertThat(freshAgain.get(i).replayed()).isTrue();
        }
        assertThat(dbsize(heir)).isGreaterThan(victimRecords); // the heir now takes new records of its slots
    }

    /** Waits (bounded) until every replica has processed all that its primary had written when this was called. */
    private static void awaitReplicasCaughtUp(RedisCluster cluster) throws Exception {
        for (RedisCluster.Node primary : cluster.primaries()) {
            long target = replicationField(primary, "master_repl_offset");
            for (RedisCluster.Node replica : cluster.replicasOf(primary)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (replicationField(replica, "slave_repl_offset") < target) {
                    assertThat(System.nanoTime()).as("replica %s caught up", replica).isLessThan(deadline);
                    Thread.sleep(20);
                }
            }
        }
    }

    private static long replicationField(RedisCluster.Node node, String field) throws IOException {
        try (RespConnection c = node.connect()) {
            for (String line : ((String) c.command("INFO", "replication")).split("\r?\n")) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).trim());
                }
            }
        }
        throw new IOException("no " + field + " in INFO replication of " + node);
    }

    static long dbsize(RedisCluster.Node node) throws IOException {
        try (RespConnection c = node.connect()) {
            return (Long) c.command("DBSIZE");
        }
    }

    private static String firstKeyOn(RedisCluster cluster, RedisCluster.Node node) {
        for (int i = 0; i < KEYS; i++) {
            if (cluster.primaryOf(RedissonIdempotencyStore.redisKey(StoreKeys.of("failover:", "pay", Integer.toString(i)))).equals(node)) {
                return Integer.toString(i);
            }
        }
        throw new IllegalStateException("no key on " + node);
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    private List<IdempotentResult<String>> callAll(IdempotentOperation<String> op, int from, int count,
            AtomicIntegerArray runs) throws Exception {
        List<Future<IdempotentResult<String>>> futures = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            int n = i;
            futures.add(threads.submit(() -> withRetry(() -> op.call(Integer.toString(n), "payload-" + n, () -> {
                runs.incrementAndGet(n);
                return "value-" + n;
            }))));
        }
        List<IdempotentResult<String>> results = new ArrayList<>(count);
        for (Future<IdempotentResult<String>> f : futures) {
            results.add(f.get(RECOVERY_BOUND_MILLIS + 10_000, TimeUnit.MILLISECONDS));
        }
        return results;
    }

    /** Retries a call that failed closed (the body did not run) while the client catches up; bounded. */
    private static <T> T withRetry(java.util.function.Supplier<T> call) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RECOVERY_BOUND_MILLIS);
        AtomicInteger attempts = new AtomicInteger();
        while (true) {
            try {
                return call.get();
            } catch (IdempotencyStoreException e) {
                attempts.incrementAndGet();
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no recovery within " + RECOVERY_BOUND_MILLIS + " ms after "
                            + attempts + " attempts", e);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
