package dev.idem.store.redisson.process;

import dev.idem.tck.ChildJvm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idem.annotation.OnInFlight;
import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.IdempotencyInProgressException;
import dev.idem.core.IdempotentOperation;
import dev.idem.core.IdempotentResult;
import dev.idem.core.spi.StoreKeys;
import dev.idem.store.redisson.RedissonIdempotencyStore;
import dev.idem.store.redisson.testing.RedisServerExtension;
import dev.idem.store.redisson.testing.RespConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * A child JVM claims a key and is killed with SIGKILL inside the body. Its claim outlives it until its lease lapses:
 * until then a duplicate in this JVM is rejected ({@code REJECT}) or waits ({@code WAIT}); after it, the key is taken
 * over and the body runs exactly once more. Real processes and real time, no injected clock.
 */
class CrashTest {
    private static final long LEASE_MILLIS = 4_000; // long enough for the duplicates to arrive on a busy 2-core machine
    private static final String NAMESPACE = "crash.op";
    private static final String KEY = "order-1";

    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    private static RedissonClient client;

    @BeforeAll
    static void connect() {
        Config config = new Config();
        config.useSingleServer().setAddress(REDIS.server().address());
        client = Redisson.create(config);
    }

    @AfterAll
    static void disconnect() {
        if (client != null) {
            client.shutdown();
        }
    }

    @AfterEach
    void reset() {
        Idempotency.reset();
    }

    @Test
    @Timeout(120)
    void holderKilledInsideTheBody_duplicatesRejectedOrWaitUntilTheLeaseLapses_thenExactlyOneRun()
            throws Exception {
        try (RespConnection connection = REDIS.server().connect()) {
            connection.command("FLUSHALL");
        }
        Idempotency.configure(IdempotencyConfig.builder()
                .defaultStore(RedissonIdempotencyStore.create(client))
                .build());
        String redisKey = "{" + StoreKeys.of(Idempotency.config().keyPrefix(), NAMESPACE, KEY) + "}";
        IdempotentOperation<String> reject = operation(OnInFlight.REJECT);
        IdempotentOperation<String> wait = operation(OnInFlight.WAIT);
        AtomicInteger runs = new AtomicInteger();
        AtomicLong firstRunStartedAt = new AtomicLong();

        ExecutorService waiters = Executors.newFixedThreadPool(3);
        ChildJvm holder = ChildJvm.start(ChildMain.class, "holder", "crash", REDIS.server().address(), NAMESPACE, KEY,
                Long.toString(LEASE_MILLIS));
        try {
            holder.awaitLine(line -> line.startsWith("INSIDE " + KEY + " "), Duration.ofSeconds(60));
            holder.kill();
            long killedAt = System.currentTimeMillis();
            assertThat(holder.awaitExit(Duration.ofSeconds(10))).as("killed by SIGKILL").isEqualTo(128 + 9);

            // The dead holder renews nothing any more: its record's expiry is now final.
            long leaseEnd = leaseExpiry(redisKey);
            assertThat(leaseEnd).as("the claim's expiry (lease end), read after the kill")
                    .isLessThanOrEqualTo(killedAt + LEASE_MILLIS)
                    .isGreaterThan(System.currentTimeMillis());

            // Before the lease ends: REJECT is refused at once...
            assertThatThrownBy(() -> reject.execute(KEY, "payload", () -> body(runs, firstRunStartedAt)))
                    .isInstanceOf(IdempotencyInProgressException.class);
            // ... and WAIT waits: three duplicates that all arrive while the dead holder's lease still runs.
            List<Future<IdempotentResult<String>>> waiting = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiting.add(waiters.submit(() -> wait.call(KEY, "payload", () -> body(runs, firstRunStartedAt))));
            }
            long duplicatesArrivedBy = System.currentTimeMillis();
            assertThat(duplicatesArrivedBy).as("the duplicates came before the lease end, so they had to wait or be "
                    + "rejected (a slow machine would make this test prove nothing)").isLessThan(leaseEnd);
            assertThat(runs).as("nothing ran while the dead holder's lease lasted").hasValue(0);

            List<IdempotentResult<String>> results = new ArrayList<>();
            for (Future<IdempotentResult<String>> future : waiting) {
                results.add(future.get(30, TimeUnit.SECONDS));
            }
            long allDoneAt = System.currentTimeMillis();

            assertThat(runs).as("runs after the lease lapsed").hasValue(1);
            assertThat(firstRunStartedAt.get()).as("the new run started no earlier than the dead holder's lease end")
                    .isGreaterThanOrEqualTo(leaseEnd);
            assertThat(allDoneAt).as("the waiters completed no earlier than the lease end").isGreaterThanOrEqualTo(
                    leaseEnd);
            assertThat(results).extracting(IdempotentResult::value).containsOnly("run-1");
            assertThat(results).filteredOn(result -> !result.replayed()).as("the one waiter that ran it").hasSize(1);

            // Later calls replay, whatever their policy.
            assertThat(reject.call(KEY, "payload", () -> body(runs, firstRunStartedAt)))
                    .satisfies(result -> {
                        assertThat(result.value()).isEqualTo("run-1");
                        assertThat(result.replayed()).isTrue();
                    });
            assertThat(wait.execute(KEY, "payload", () -> body(runs, firstRunStartedAt))).isEqualTo("run-1");
            assertThat(runs).hasValue(1);
            assertThat(holder.firstLine(line -> line.startsWith("RETURNED") || line.startsWith("FAILED")))
                    .as("the holder never left its body").isEmpty();
            System.out.printf("CrashTest: lease end %d ms after the kill, new run started %d ms after the kill%n",
                    leaseEnd - killedAt, firstRunStartedAt.get() - killedAt);
        } catch (AssertionError | Exception e) {
            throw new AssertionError(e.getMessage() + holder.describe(), e);
        } finally {
            holder.close();
            waiters.shutdownNow();
            assertThat(waiters.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static IdempotentOperation<String> operation(OnInFlight onInFlight) {
        return Idempotency.operation(NAMESPACE, String.class)
                .lease(Duration.ofMillis(LEASE_MILLIS))
                .onInFlight(onInFlight)
                .waitTimeout(Duration.ofSeconds(20)) // much longer than the lease
                .build();
    }

    private static String body(AtomicInteger runs, AtomicLong firstRunStartedAt) {
        long now = System.currentTimeMillis();
        int run = runs.incrementAndGet();
        if (run == 1) {
            firstRunStartedAt.set(now);
        }
        return "run-" + run;
    }

    /** The in-flight record's absolute expiry, in epoch millis (field {@code x} of the record's hash). */
    private static long leaseExpiry(String redisKey) throws Exception {
        try (RespConnection connection = REDIS.server().connect()) {
            assertThat(connection.command("HGET", redisKey, "s")).as("state of %s", redisKey).isEqualTo("I");
            // Redis judges the lease by its own clock (the key's expiry); read before asking, so that the estimate
            // is never later than the real expiry.
            long before = System.currentTimeMillis();
            long remaining = (Long) connection.command("PTTL", redisKey);
            assertThat(remaining).as("the claim has an expiry").isPositive();
            return before + remaining;
        }
    }
}
