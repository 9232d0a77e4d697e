package dev.idem.store.redisson.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.IdempotencyStoreException;
import dev.idem.core.IdempotentOperation;
import dev.idem.core.IdempotentResult;
import dev.idem.store.redisson.RedissonIdempotencyStore;
import dev.idem.store.redisson.testing.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * Redis goes away and comes back on the same port, with its data (append-only file, fsync on every write): while it
 * is down, calls fail fast and closed ({@link IdempotencyStoreException}, the body does not run); once it is back,
 * the client reconnects by itself, and every outcome recorded before the outage replays.
 */
class RedisRestartTest {
    private static final int KEPT = 20;
    private static final Duration FAIL_FAST = Duration.ofSeconds(5);
    private static final Duration RECOVERY = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    private RedisServer server;
    private RedissonClient client;

    @AfterEach
    void stop() {
        Idempotency.reset();
        if (client != null) {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Timeout(120)
    void redisDown_failsFastAndRunsNothing_back_replaysWhatItKept() throws Exception {
        server = RedisServer.startWith(List.of("--appendonly", "yes", "--appendfsync", "always",
                "--dir", dataDir.toString()));
        Config config = new Config();
        config.useSingleServer().setAddress(server.address()); // the client's defaults otherwise
        client = Redisson.create(config);
        Idempotency.configure(IdempotencyConfig.builder()
                .defaultStore(RedissonIdempotencyStore.builder(client)
                        .commandTimeout(Duration.ofMillis(500))
                        .retryAttempts(0)
                        .build())
                .build());
        IdempotentOperation<String> operation = Idempotency.operation("restart.op", String.class).build();
        AtomicInteger runs = new AtomicInteger();

        for (int i = 0; i < KEPT; i++) {
            String value = "value-" + i;
            assertThat(operation.execute("kept-" + i, "payload", () -> {
                runs.incrementAndGet();
                return value;
            })).isEqualTo(value);
        }
        assertThat(runs).hasValue(KEPT);

        server.kill(); // a crash: no shutdown save; only what the AOF already holds survives
        assertThat(server.isRunning()).isFalse();

        // Down: every call fails closed and fast, whether its key is new or was recorded before.
        AtomicInteger runsWhileDown = new AtomicInteger();
        long slowest = 0;
        for (String key : List.of("new-1", "kept-0", "new-2", "kept-1", "new-1")) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> operation.execute(key, "payload", () -> {
                runsWhileDown.incrementAndGet();
                return "ran while Redis was down";
            })).as("call for %s while Redis is down", key).isInstanceOf(IdempotencyStoreException.class);
            long took = System.nanoTime() - start;
            slowest = Math.max(slowest, took);
            assertThat(Duration.ofNanos(took)).as("time to fail for %s", key).isLessThan(FAIL_FAST);
        }
        assertThat(runsWhileDown).as("bodies run while Redis was down").hasValue(0);

        // Back, on the same port with the same data directory.
        server = server.restart();
        long recoveryStart = System.nanoTime();
        long deadline = recoveryStart + RECOVERY.toNanos();
        IdempotentResult<String> first = null;
        int failedProbes = 0;
        while (first == null) {
            try {
                first = operation.call("kept-0", "payload", () -> {
                    runsWhileDown.incrementAndGet();
                    return "ran again";
                });
            } catch (IdempotencyStoreException e) {
                failedProbes++;
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the client did not recover within " + RECOVERY, e);
                }
                Thread.sleep(100); // pacing of the probe, not a timing assertion
            }
        }
        long recovery = System.nanoTime() - recoveryStart;
        assertThat(first.replayed()).isTrue();
        assertThat(first.value()).isEqualTo("value-0");

        for (int i = 0; i < KEPT; i++) {
            IdempotentResult<String> result = operation.call("kept-" + i, "payload", () -> {
                runs.incrementAndGet();
                return "ran again";
            });
            assertThat(result.value()).as("kept-%d after the restart", i).isEqualTo("value-" + i);
            assertThat(result.replayed()).isTrue();
        }
        assertThat(runs).as("no kept key ran again").hasValue(KEPT);
        assertThat(runsWhileDown).hasValue(0);

        // Normal behaviour for new keys: one run, then replays.
        assertThat(operation.execute("new-1", "payload", () -> "new-" + runs.incrementAndGet()))
                .isEqualTo("new-" + (KEPT + 1));
        assertThat(operation.call("new-1", "payload", () -> "new-" + runs.incrementAndGet()))
                .satisfies(result -> {
                    assertThat(result.value()).isEqualTo("new-" + (KEPT + 1));
                    assertThat(result.replayed()).isTrue();
                });
        assertThat(runs).hasValue(KEPT + 1);
        System.out.printf("RedisRestartTest: slowest failure while down %d ms; recovered %d ms after the restart "
                + "(%d failed probes)%n", TimeUnit.NANOSECONDS.toMillis(slowest), TimeUnit.NANOSECONDS.toMillis(recovery),
                failedProbes);
    }

    /**
     * A hung server (SIGSTOP: connections open, no answers) is the case where the store's {@code commandTimeout}
     * matters, unlike a dead one, which refuses connections at once. Calls fail within the bound and run nothing.
     * A claim sent while the server hung may still be executed when it wakes up, so the key can stay claimed by a
     * caller that gave up; that claim lapses with its lease, and the key then runs exactly once.
     */
    @Test
    @Timeout(120)
    void redisHung_callsTimeOutFastAndRunNothing_afterItWakes_eachKeyRunsOnce() throws Exception {
        server = RedisServer.startWith(List.of());
        Config config = new Config();
        config.useSingleServer().setAddress(server.address());
        client = Redisson.create(config);
        Idempotency.configure(IdempotencyConfig.builder()
                .defaultStore(RedissonIdempotencyStore.builder(client)
                        .commandTimeout(Duration.ofMillis(500))
                        .retryAttempts(0)
                        .build())
                .build());
        IdempotentOperation<String> operation = Idempotency.operation("hung.op", String.class)
                .lease(Duration.ofSeconds(2))
                .waitTimeout(Duration.ofSeconds(15)) // longer than the lease of an orphaned claim
                .build();
        AtomicInteger runs = new AtomicInteger();
        assertThat(operation.execute("before", "payload", () -> "before-" + runs.incrementAndGet()))
                .isEqualTo("before-1");

        server.pause();
        long slowest = 0;
        List<String> keys = List.of("before", "hung-1", "hung-2");
        for (String key : keys) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> operation.execute(key, "payload", () -> "ran-" + runs.incrementAndGet()))
                    .as("call for %s while Redis hangs", key).isInstanceOf(IdempotencyStoreException.class);
            long took = System.nanoTime() - start;
            slowest = Math.max(slowest, took);
            assertThat(Duration.ofNanos(took)).as("time to fail for %s", key).isLessThan(FAIL_FAST);
        }
        assertThat(runs).as("bodies run while Redis hung").hasValue(1);

        server.resume();
        assertThat(operation.execute("before", "payload", () -> "ran-" + runs.incrementAndGet()))
                .isEqualTo("before-1");
        for (String key : List.of("hung-1", "hung-2")) {
            long start = System.nanoTime();
            String first = operation.execute(key, "payload", () -> key + "-" + runs.incrementAndGet());
            System.out.printf("RedisRestartTest: %s ran %d ms after Redis woke up%n", key,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            assertThat(operation.execute(key, "payload", () -> "again-" + runs.incrementAndGet())).isEqualTo(first);
        }
        assertThat(runs).as("one run per key in all").hasValue(3);
        System.out.printf("RedisRestartTest: slowest failure while Redis hung %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(slowest));
    }
}
