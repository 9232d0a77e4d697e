package dev.idem.store.redisson;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.IdempotentOperation;
import dev.idem.core.spi.StoreKeys;
import dev.idem.store.redisson.testing.RedisServer;
import dev.idem.store.redisson.testing.RespConnection;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * Asynchronous bodies whose stage completes on a thread the engine does not own: a Redisson I/O thread, and another
 * library's event loop. Each test runs on a freshly started server, so no script is cached yet and the first
 * {@code EVALSHA} of every operation meets {@code NOSCRIPT} (the case where a blocking fallback used to fail).
 */
class ForeignThreadsTest {
    private RedisServer server;
    private RedissonClient client;
    private final AtomicInteger runs = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        server = RedisServer.start();
        Config config = new Config();
        config.useSingleServer().setAddress(server.address());
        client = Redisson.create(config);
        Idempotency.configure(IdempotencyConfig.builder()
                .defaultStore(RedissonIdempotencyStore.create(client))
                .build());
    }

    @AfterEach
    void stop() {
        Idempotency.reset();
        if (client != null) {
            client.shutdown();
        }
        if (server != null) {
            server.close();
        }
    }

    @SuppressWarnings("unchecked")
    private void assertNoScriptCached() throws Exception {
        try (RespConnection connection = server.connect()) {
            List<Object> exists = (List<Object>) connection.command("SCRIPT", "EXISTS", RedisScripts.COMPLETE.sha(),
                    RedisScripts.RELEASE.sha());
            assertThat(exists).allMatch(flag -> Long.valueOf(0).equals(flag));
        }
    }

    private String state(String namespace, String key) throws Exception {
        try (RespConnection connection = server.connect()) {
            return (String) connection.command("HGET",
                    RedissonIdempotencyStore.redisKey(StoreKeys.of("", namespace, key)), "s");
        }
    }

    @Test
    void stageCompletedByARedissonCallback_isRecorded_andTheBodyRunsOnce() throws Exception {
        assertNoScriptCached();
        IdempotentOperation<String> operation = Idempotency.operation("threads.redisson", String.class).build();
        List<String> completedOn = new CopyOnWriteArrayList<>();

        // The body waits on Redis (BLPOP) for a value the test pushes afterwards: its stage can only complete in a
        // Redisson callback, on Redisson's I/O thread.
        CompletableFuture<String> first = operation.executeAsync("K", "p", () -> {
            runs.incrementAndGet();
            return client.<String>getBlockingQueue("greetings", org.redisson.client.codec.StringCodec.INSTANCE).pollAsync(20, TimeUnit.SECONDS).thenApply(value -> {
                completedOn.add(Thread.currentThread().getName());
                return value + " world";
            });
        });
        assertThat(first).isNotDone();
        try (RespConnection pusher = server.connect()) {
            pusher.command("RPUSH", "greetings", "hello");
        }

        assertThat(first.get(20, TimeUnit.SECONDS)).isEqualTo("hello world");
        assertThat(completedOn).singleElement().asString().startsWith("redisson-netty");
        assertThat(state("threads.redisson", "K")).as("the outcome was recorded").isEqualTo("C");
        assertThat(operation.executeAsync("K", "p", () -> {
            runs.incrementAndGet();
            return CompletableFuture.completedFuture("second run");
        }).get(20, TimeUnit.SECONDS)).isEqualTo("hello world");
        assertThat(runs).hasValue(1);
    }

    @Test
    void failedStageCompletedByARedissonCallback_releasesTheKey() throws Exception {
        assertNoScriptCached();
        IdempotentOperation<String> operation = Idempotency.operation("threads.release", String.class).build();

        CompletableFuture<String> first = operation.executeAsync("K", "p", () -> {
            runs.incrementAndGet();
            return client.<String>getBucket("missing").getAsync().thenApply(value -> {
                throw new IllegalStateException("no value");
            });
        });

        assertThat(first).failsWithin(20, TimeUnit.SECONDS);
        assertThat(state("threads.release", "K")).as("released").isNull();
        assertThat(operation.executeAsync("K", "p", () -> {
            runs.incrementAndGet();
            return CompletableFuture.completedFuture("ran again");
        }).get(20, TimeUnit.SECONDS)).isEqualTo("ran again");
        assertThat(runs).hasValue(2);
    }

    @Test
    void stageCompletedOnAnotherLibrarysEventLoop_neverBlocksTheLoop() throws Exception {
        assertNoScriptCached();
        IdempotentOperation<String> operation = Idempotency.operation("threads.loop", String.class).build();
        EventLoop loop = new DefaultEventLoop();
        try {
            CompletableFuture<String> pending = new CompletableFuture<>();
            CompletableFuture<String> out = operation.executeAsync("K", "p", () -> {
                runs.incrementAndGet();
                return pending;
            });
            CountDownLatch loopFree = new CountDownLatch(1);
            try (RespConnection admin = server.connect()) {
                // Redis answers nothing for 1.5 s (within the client's 3 s timeout): a loop that waited for the
                // recording would be stuck that long.
                assertThat(admin.command("CLIENT", "PAUSE", "1500")).isEqualTo("OK");
                loop.execute(() -> pending.complete("from the loop"));
                loop.execute(loopFree::countDown);

                assertThat(loopFree.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(out).as("recorded only once Redis answers").isNotDone();
            }
            assertThat(out.get(20, TimeUnit.SECONDS)).isEqualTo("from the loop");
            assertThat(state("threads.loop", "K")).isEqualTo("C");
            assertThat(operation.executeAsync("K", "p", () -> {
                runs.incrementAndGet();
                return CompletableFuture.completedFuture("second run");
            }).get(20, TimeUnit.SECONDS)).isEqualTo("from the loop");
            assertThat(runs).hasValue(1);
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void futureOfAnAsyncMethod_isNotCompletedOnARedissonThread() throws Exception {
        IdempotentOperation<String> operation = Idempotency.operation("threads.continuation", String.class).build();
        List<String> continuedOn = new CopyOnWriteArrayList<>();

        CompletableFuture<Void> gate = new CompletableFuture<>();
        CompletableFuture<String> continued = operation.executeAsync("K", "p", () -> {
            runs.incrementAndGet();
            return gate.thenCompose(open -> client.<String>getBucket("absent").getAsync().thenApply(v -> "done"));
        }).thenApply(v -> {
            continuedOn.add(Thread.currentThread().getName());
            client.getBucket("after").set(v); // a synchronous Redisson call: refused on Redisson's own threads
            return v;
        });
        gate.complete(null); // the continuation is attached: it runs wherever the engine completes the future
        String value = continued.get(20, TimeUnit.SECONDS);

        assertThat(value).isEqualTo("done");
        assertThat(continuedOn).singleElement().asString().doesNotStartWith("redisson");
        assertThat(client.<String>getBucket("after").get()).isEqualTo("done");
    }
}
