package dev.idem.store.redisson.process;

import dev.idem.tck.ChildJvm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.core.spi.StoreKeys;
import dev.idem.store.redisson.testing.RedisServerExtension;
import dev.idem.store.redisson.testing.RespConnection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Engines in separate JVMs whose clocks disagree by an hour, far more than the 1 s lease, share one Redis: a
 * duplicate never runs while the holder runs (whichever of the two is behind), and the 6 s ttl ends on time by Redis's
 * clock. Expiry is Redis's own: no caller's clock is ever compared with a stored time.
 */
class ClockSkewTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    private static final String NAMESPACE = "skew.op";
    private static final Duration BOUND = Duration.ofSeconds(60);

    @ParameterizedTest(name = "holder off by {0} ms, duplicates off by {1} ms")
    @CsvSource({"-3600000, 3600000", "3600000, -3600000"})
    @Timeout(180)
    void clocksAnHourApart_neverRunTwoBodiesAtOnce_andTheTtlEndsOnTime(long holderOffset, long duplicateOffset)
            throws Exception {
        String key = "order" + holderOffset;
        String redisKey = "{" + StoreKeys.of("", NAMESPACE, key) + "}";
        String address = REDIS.server().address();

        try (ChildJvm holder = ChildJvm.start(ChildMain.class, "holder", "skewed", address, NAMESPACE, key,
                Long.toString(holderOffset), "WAIT", "true")) {
            holder.awaitLine(line -> line.startsWith("INSIDE " + key + " "), BOUND);
            // Let the holder run for longer than its lease: it stays alive only by its renewals.
            awaitRenewals(redisKey, 3);

            try (ChildJvm duplicate = ChildJvm.start(ChildMain.class, "duplicate", "skewed", address, NAMESPACE, key,
                    Long.toString(duplicateOffset), "REJECT", "false")) {
                String outcome = duplicate.awaitLine(line -> line.startsWith("RESULT ") || line.startsWith("ERROR "),
                        BOUND);
                assertThat(outcome).as(duplicate.describe())
                        .isEqualTo("ERROR dev.idem.core.IdempotencyInProgressException");
                assertThat(duplicate.firstLine(line -> line.startsWith("INSIDE "))).as("the duplicate's body")
                        .isEmpty();
            }

            holder.send("FINISH");
            String result = holder.awaitLine(line -> line.startsWith("RESULT "), BOUND);
            String value = result.split(" ")[1];
            assertThat(result).isEqualTo("RESULT " + value + " false");

            long ttl = pttl(redisKey);
            assertThat(ttl).as("the 6 s ttl, by Redis's clock").isPositive().isLessThanOrEqualTo(6_000);

            try (ChildJvm replay = ChildJvm.start(ChildMain.class, "replay", "skewed", address, NAMESPACE, key,
                    Long.toString(duplicateOffset), "WAIT", "false")) {
                assertThat(replay.awaitLine(line -> line.startsWith("RESULT ") || line.startsWith("ERROR "), BOUND))
                        .isEqualTo("RESULT " + value + " true");
            }

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (pttl(redisKey) != -2) {
                assertThat(System.nanoTime()).as("the record expired within its ttl and a bound").isLessThan(deadline);
                Thread.sleep(20);
            }
            try (ChildJvm after = ChildJvm.start(ChildMain.class, "after", "skewed", address, NAMESPACE, key,
                    Long.toString(holderOffset), "WAIT", "false")) {
                String next = after.awaitLine(line -> line.startsWith("RESULT ") || line.startsWith("ERROR "), BOUND);
                assertThat(next).startsWith("RESULT run-").endsWith(" false").isNotEqualTo(result);
            }
        }
    }

    /** Waits until the record's remaining lease went up {@code count} times: each rise is a renewal. */
    private static void awaitRenewals(String redisKey, int count) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        long last = pttl(redisKey);
        int rises = 0;
        while (rises < count) {
            assertThat(System.nanoTime()).as("renewals seen: " + rises).isLessThan(deadline);
            long now = pttl(redisKey);
            assertThat(now).as("the holder's claim is alive").isPositive();
            if (now > last) {
                rises++;
            }
            last = now;
            Thread.sleep(10);
        }
    }

    private static long pttl(String redisKey) throws Exception {
        try (RespConnection connection = REDIS.server().connect()) {
            return (Long) connection.command("PTTL", redisKey);
        }
    }
}
