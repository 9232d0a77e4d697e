package dev.idem.store.redisson;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.core.spi.ClaimResult;
import dev.idem.core.spi.Fingerprint;
import dev.idem.core.spi.Outcome;
import dev.idem.core.spi.StoredRecord;
import dev.idem.store.redisson.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * The store's operations on Redis 6.2, the oldest supported server, run from the binary that the embedded-redis test
 * artifact ships (the fallback of a machine without Redis). Two clients stand for two processes.
 */
class RedissonStoreOnRedis62Test {
    private static final Fingerprint PAYLOAD = Fingerprint.ofHash("payload-hash");

    private static RedisServer server;
    private static RedissonClient first;
    private static RedissonClient second;

    @BeforeAll
    static void start() throws Exception {
        server = RedisServer.start(RedisServer.embedded().toString());
        first = client();
        second = client();
    }

    private static RedissonClient client() {
        Config config = new Config();
        config.useSingleServer().setAddress(server.address());
        return Redisson.create(config);
    }

    @AfterAll
    static void stop() {
        if (first != null) {
            first.shutdown();
        }
        if (second != null) {
            second.shutdown();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void serverIsRedis62() throws Exception {
        try (var connection = server.connect()) {
            assertThat((String) connection.command("INFO", "server")).contains("redis_version:6.2.");
        }
    }

    @Test
    void claimCompleteReplay_acrossClients() {
        RedissonIdempotencyStore a = RedissonIdempotencyStore.create(first);
        RedissonIdempotencyStore b = RedissonIdempotencyStore.create(second);
        long now = System.currentTimeMillis();

        assertThat(a.claim("k1", "owner", PAYLOAD, now, 30_000)).isSameAs(ClaimResult.CLAIMED);
        StoredRecord inFlight = (StoredRecord) b.claim("k1", "other", PAYLOAD, now, 30_000);
        assertThat(inFlight.isInFlight()).isTrue();
        assertThat(inFlight.ownerToken()).isEqualTo("owner");
        assertThat(inFlight.expiresAtMillis()).isEqualTo(now + 30_000);

        assertThat(b.complete("k1", "other", PAYLOAD, Outcome.encodedValue(new byte[] {1}), now, 60_000)).isFalse();
        byte[] value = "{\"v\":1}".getBytes(StandardCharsets.UTF_8);
        assertThat(a.complete("k1", "owner", PAYLOAD, Outcome.encodedValue(value), now, 60_000)).isTrue();

        StoredRecord completed = (StoredRecord) b.claim("k1", "other", Fingerprint.ofHash("x"), now + 1, 30_000);
        assertThat(completed.isInFlight()).isFalse();
        assertThat(completed.fingerprint().hash()).isEqualTo("payload-hash");
        assertThat(completed.outcome().bytes()).isEqualTo(value);
        assertThat(completed.expiresAtMillis()).isEqualTo(now + 60_000);
        assertThat(b.claim("k1", "late", PAYLOAD, now + 60_000, 30_000)).isSameAs(ClaimResult.CLAIMED);
    }

    @Test
    void encodedFailureAndUnencodable_roundTrip_withANullMessage() {
        RedissonIdempotencyStore store = RedissonIdempotencyStore.create(first);
        long now = System.currentTimeMillis();
        store.claim("f1", "t", PAYLOAD, now, 30_000);
        store.complete("f1", "t", PAYLOAD, Outcome.encodedFailure("com.example.Declined", null), now, 60_000);
        store.claim("u1", "t", PAYLOAD, now, 30_000);
        store.complete("u1", "t", PAYLOAD, Outcome.unencodable("too large"), now, 60_000);

        Outcome failure = ((StoredRecord) store.claim("f1", "x", PAYLOAD, now, 30_000)).outcome();
        Outcome unencodable = ((StoredRecord) store.claim("u1", "x", PAYLOAD, now, 30_000)).outcome();

        assertThat(failure.kind()).isEqualTo(Outcome.Kind.ENCODED_FAILURE);
        assertThat(failure.failureType()).isEqualTo("com.example.Declined");
        assertThat(failure.bytes()).isNull();
        assertThat(unencodable.reason()).isEqualTo("too large");
    }

    @Test
    void waiterInAnotherClient_isWokenByRelease_throughPubSub() throws Exception {
        RedissonIdempotencyStore holder = RedissonIdempotencyStore.create(first);
        RedissonIdempotencyStore waiter = RedissonIdempotencyStore.builder(second)
                .settleRecheck(java.time.Duration.ofMinutes(5)) // only a message can wake it within the test
                .build();
        long now = System.currentTimeMillis();
        holder.claim("w1", "owner", PAYLOAD, now, 30_000);

        try (var probe = server.connect()) {
            long reads = WaiterProbe.stateReads(probe);
            CompletableFuture<?> settled = waiter.whenSettled("w1");
            WaiterProbe.awaitWaiter("w1", probe, reads, List.of(probe));
            assertThat(settled).as("subscribed and re-read, nothing has settled").isNotDone();

            assertThat(holder.release("w1", "intruder")).isFalse();
            assertThat(holder.release("w1", "owner")).isTrue();
            settled.get(5, TimeUnit.SECONDS);
        }
        assertThat(waiter.whenSettled("w1").get(5, TimeUnit.SECONDS)).as("no record: settled at once").isNull();
    }

    @Test
    void renew_onlyByTheLiveOwner() {
        RedissonIdempotencyStore store = RedissonIdempotencyStore.create(first);
        long now = System.currentTimeMillis();
        store.claim("r1", "owner", PAYLOAD, now, 30_000);

        assertThat(store.renew("r1", "intruder", now + 10_000, 30_000)).isFalse();
        assertThat(store.renew("r1", "owner", now + 10_000, 30_000)).isTrue();
        assertThat(((StoredRecord) store.claim("r1", "x", PAYLOAD, now + 35_000, 30_000)).expiresAtMillis())
                .isEqualTo(now + 40_000);
        assertThat(store.renew("r1", "owner", now + 40_000, 30_000)).as("lapsed").isFalse();
    }
}
