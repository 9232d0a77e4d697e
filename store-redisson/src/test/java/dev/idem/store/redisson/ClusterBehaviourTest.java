package dev.idem.store.redisson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.IdempotencyKeyReuseException;
import dev.idem.core.IdempotentOperation;
import dev.idem.core.IdempotentResult;
import dev.idem.core.spi.StoreKeys;
import dev.idem.store.redisson.testing.RedisCluster;
import dev.idem.store.redisson.testing.RedisClusterExtension;
import dev.idem.store.redisson.testing.RespConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * The Redisson store on a real 3-primary/3-replica Redis Cluster: records spread over every primary, the contract
 * holds per key wherever it lives, and a waiter on one client is woken through pub/sub by a completion made through
 * another client, for keys on each primary.
 */
class ClusterBehaviourTest {
    @RegisterExtension
    static final RedisClusterExtension CLUSTER = new RedisClusterExtension();

    private static RedissonClient clientA;
    private static RedissonClient clientB;
    private static ExecutorService threads;

    private final AtomicInteger runs = new AtomicInteger();

    @BeforeAll
    static void connect() {
        clientA = Redisson.create(clusterConfig(CLUSTER.cluster()));
        clientB = Redisson.create(clusterConfig(CLUSTER.cluster()));
        threads = Executors.newFixedThreadPool(16);
    }

    static Config clusterConfig(RedisCluster cluster) {
        Config config = new Config();
        config.useClusterServers().addNodeAddress(cluster.addresses()).setScanInterval(500);
        return config;
    }

    @AfterAll
    static void disconnect() {
        if (threads != null) {
            threads.shutdownNow();
        }
        if (clientA != null) {
            clientA.shutdown();
        }
        if (clientB != null) {
            clientB.shutdown();
        }
    }

    @BeforeEach
    void configure() {
        // A waiter must be woken by the pub/sub message: the re-check safety net is far beyond the test's bounds.
        Idempotency.configure(IdempotencyConfig.builder()
                .defaultStore(RedissonIdempotencyStore.create(clientA))
                .store("b", RedissonIdempotencyStore.builder(clientB).settleRecheck(Duration.ofSeconds(60)).build())
                .keyPrefix("cluster:")
                .build());
    }

    @AfterEach
    void reset() {
        Idempotency.reset();
    }

    @Test
    void keysSpreadOverEveryPrimary_firstCallsRunOnce_repeatsReplay() throws Exception {
        IdempotentOperation<String> op = Idempotency.operation("spread", String.class).build();
        int keys = 3_000;

        List<IdempotentResult<String>> first = callAll(op, keys);
        List<IdempotentResult<String>> second = callAll(op, keys);

        assertThat(runs).hasValue(keys);
        for (int i = 0; i < keys; i++) {
            assertThat(first.get(i).replayed()).isFalse();
            assertThat(second.get(i).replayed()).as("key %d", i).isTrue();
            assertThat(second.get(i).value()).isEqualTo(first.get(i).value()).isEqualTo("value-" + i);
        }
        // The records are spread: every primary holds a fair share, and the keys cover many slots.
        RedisCluster cluster = CLUSTER.cluster();
        long total = 0;
        for (RedisCluster.Node primary : cluster.primaries()) {
            try (RespConnection c = primary.connect()) {
                long size = (Long) c.command("DBSIZE");
                assertThat(size).as("records on primary %s", primary).isGreaterThan(keys / 6);
                total += size;
            }
        }
        assertThat(total).isGreaterThanOrEqualTo(keys);
        Set<Long> slots = new HashSet<>();
        try (RespConnection c = cluster.nodes().get(0).connect()) {
            for (int i = 0; i < keys; i++) {
                slots.add((Long) c.command("CLUSTER", "KEYSLOT", RedissonIdempotencyStore.redisKey(StoreKeys.of("cluster:", "spread", Integer.toString(i)))));
            }
        }
        assertThat(slots).hasSizeGreaterThan(keys * 8 / 10);
    }

    @Test
    void keysSpreadOverEveryPrimary_whateverBracesThePrefixAndTheKeysHold() throws Exception {
        // "{orders}:" is a common prefix; used as a hash tag it would put every record in one slot.
        Idempotency.configure(IdempotencyConfig.builder()
                .defaultStore(RedissonIdempotencyStore.create(clientA))
                .keyPrefix("{orders}:")
                .build());
        IdempotentOperation<String> op = Idempotency.operation("braces", String.class).build();
        int keys = 600;
        for (int i = 0; i < keys; i++) {
            String key = (i % 2 == 0 ? "{tenant}:" : "}{") + i;
            assertThat(op.call(key, "p", () -> "v").replayed()).isFalse();
            assertThat(op.call(key, "p", () -> "again").replayed()).isTrue();
        }
        RedisCluster cluster = CLUSTER.cluster();
        for (RedisCluster.Node primary : cluster.primaries()) {
            try (RespConnection c = primary.connect()) {
                assertThat((Long) c.command("DBSIZE")).as("records on primary %s", primary)
                        .isGreaterThan(keys / 6);
            }
        }
        Set<Long> slots = new HashSet<>();
        try (RespConnection c = cluster.nodes().get(0).connect()) {
            for (int i = 0; i < keys; i++) {
                String key = (i % 2 == 0 ? "{tenant}:" : "}{") + i;
                slots.add((Long) c.command("CLUSTER", "KEYSLOT",
                        RedissonIdempotencyStore.redisKey(StoreKeys.of("{orders}:", "braces", key))));
            }
        }
        assertThat(slots).hasSizeGreaterThan(keys * 8 / 10);
    }

    @Test
    void aReusedKeyWithAnotherPayload_isRefused_andTheRecordIsUntouched() {
        IdempotentOperation<String> op = Idempotency.operation("mismatch", String.class).build();
        for (RedisCluster.Node primary : CLUSTER.cluster().primaries()) {
            String key = keyOn(primary, "mismatch", "m");
            assertThat(op.call(key, "payload-1", () -> "v-" + runs.incrementAndGet()).replayed()).isFalse();

            assertThatThrownBy(() -> op.call(key, "payload-2", () -> "v-" + runs.incrementAndGet()))
                    .isInstanceOf(IdempotencyKeyReuseException.class);
            assertThat(op.call(key, "payload-1", () -> "v-" + runs.incrementAndGet()).replayed()).isTrue();
        }
        assertThat(runs).hasValue(3);
    }

    @Test
    void aWaiterOnAnotherClient_isWokenByPubSub_forKeysOnEveryPrimary() throws Exception {
        IdempotentOperation<String> owner = Idempotency.operation("wake", String.class).build();
        IdempotentOperation<String> waiter = Idempotency.operation("wake", String.class).store("b")
                .waitTimeout(Duration.ofSeconds(20)).build();
        for (RedisCluster.Node primary : CLUSTER.cluster().primaries()) {
            String key = keyOn(primary, "wake", "w");
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch finish = new CountDownLatch(1);
            Future<IdempotentResult<String>> first = threads.submit(() -> owner.call(key, "p", () -> {
                started.countDown();
                await(finish);
                return "done-" + runs.incrementAndGet();
            }));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            List<RespConnection> nodes = new ArrayList<>();
            Future<IdempotentResult<String>> second;
            try {
                for (RedisCluster.Node node : CLUSTER.cluster().running()) {
                    nodes.add(node.connect());
                }
                RespConnection primaryConnection = nodes.get(CLUSTER.cluster().running().indexOf(primary));
                long reads = WaiterProbe.stateReads(primaryConnection);
                second = threads.submit(() -> waiter.call(key, "p", () -> {
                    runs.incrementAndGet();
                    return "must not run";
                }));
                // The waiter subscribed and re-read the primary: from now on only the message can wake it.
                WaiterProbe.awaitWaiter(StoreKeys.of("cluster:", "wake", key), primaryConnection, reads, nodes);
            } finally {
                for (RespConnection node : nodes) {
                    node.close();
                }
            }
            assertThat(second.isDone()).isFalse();

            long released = System.nanoTime();
            finish.countDown();
            IdempotentResult<String> woken = second.get(10, TimeUnit.SECONDS);
            long wokenAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - released);

            assertThat(first.get(10, TimeUnit.SECONDS).replayed()).isFalse();
            assertThat(woken.replayed()).isTrue();
            assertThat(woken.value()).isEqualTo(first.get().value());
            // Woken by the message, not by the 60 s re-check.
            assertThat(wokenAfterMillis).as("key on %s", primary).isLessThan(3_000);
        }
        assertThat(runs).hasValue(3);
    }

    @Test
    void waitForReplicas_theReplicaHoldsTheRecordWhenTheCallReturns() throws Exception {
        Idempotency.configure(IdempotencyConfig.builder()
                .defaultStore(RedissonIdempotencyStore.builder(clientA)
                        .waitForReplicas(1, Duration.ofSeconds(2)).build())
                .keyPrefix("cluster:")
                .build());
        IdempotentOperation<String> op = Idempotency.operation("replicated", String.class).build();
        RedisCluster cluster = CLUSTER.cluster();
        Set<RedisCluster.Node> primariesSeen = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            String key = "r-" + i;
            String redisKey = RedissonIdempotencyStore.redisKey(StoreKeys.of("cluster:", "replicated", key));
            RedisCluster.Node primary = cluster.primaryOf(redisKey);
            primariesSeen.add(primary);

            assertThat(op.call(key, "p", () -> "v-" + runs.incrementAndGet()).replayed()).isFalse();

            // Read on the replica at once: with the option, the call returned only after the replica acknowledged.
            for (RedisCluster.Node replica : cluster.replicasOf(primary)) {
                try (RespConnection c = replica.connect()) {
                    assertThat(c.command("READONLY")).isEqualTo("OK");
                    assertThat(c.command("HGET", redisKey, "s")).as("%s on replica %s", key, replica).isEqualTo("C");
                }
            }
            assertThat(op.call(key, "p", () -> "v-" + runs.incrementAndGet()).replayed()).isTrue();
        }
        assertThat(primariesSeen).hasSize(3);
        assertThat(runs).hasValue(60);
    }

    /** A key (without the prefix and namespace) whose record lives on the given primary. */
    static String keyOn(RedisCluster.Node primary, String namespace, String stem) {
        for (int i = 0; i < 10_000; i++) {
            String key = stem + "-" + i;
            if (CLUSTER.cluster().primaryOf(RedissonIdempotencyStore.redisKey(StoreKeys.of("cluster:", namespace, key)))
                    .equals(primary)) {
                return key;
            }
        }
        throw new IllegalStateException("no key found on " + primary);
    }

    private List<IdempotentResult<String>> callAll(IdempotentOperation<String> op, int keys) throws Exception {
        List<Future<IdempotentResult<String>>> futures = new ArrayList<>(keys);
        for (int i = 0; i < keys; i++) {
            int n = i;
            futures.add(threads.submit(() -> op.call(Integer.toString(n), "payload-" + n, () -> {
                runs.incrementAndGet();
                return "value-" + n;
            })));
        }
        List<IdempotentResult<String>> results = new ArrayList<>(keys);
        for (Future<IdempotentResult<String>> f : futures) {
            results.add(f.get(30, TimeUnit.SECONDS));
        }
        return results;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
