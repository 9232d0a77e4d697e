package dev.idem.store.redisson;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.IdempotentOperation;
import dev.idem.core.IdempotentResult;
import dev.idem.store.redisson.testing.CommandMonitor;
import dev.idem.store.redisson.testing.RedisServerExtension;
import dev.idem.store.redisson.testing.RespConnection;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;
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
 * Counts the commands the client sends per call, as the server sees them ({@link CommandMonitor}: a script call counts
 * once), after a warm-up that has loaded the scripts. Without a near-cache: one per replay, two per first call. The
 * near-cache's counts are in {@code NearCacheOnRedisTest}.
 */
class RedisCommandCountTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    private static RedissonClient client;
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
    void configure() throws IOException {
        try (RespConnection connection = REDIS.server().connect()) {
            connection.command("FLUSHALL");
            connection.command("SCRIPT", "FLUSH");
        }
        Idempotency.configure(IdempotencyConfig.builder()
                .defaultStore(RedissonIdempotencyStore.create(client))
                .keyPrefix("count:")
                .build());
        operation = Idempotency.operation("count.op", String.class).build();
        // Warm up: the first calls on a fresh server load the scripts (EVALSHA answered NOSCRIPT, then EVAL).
        call("warm-up");
        call("warm-up");
    }

    @AfterEach
    void reset() {
        Idempotency.reset();
    }

    private IdempotentResult<String> call(String key) {
        return operation.call(key, "payload", () -> "value-" + (++serial));
    }

    @Test
    void replay_sendsOneCommand() throws Exception {
        call("A");

        List<String> commands = commandsOf(() -> call("A"));

        assertThat(commands).containsExactly("EVALSHA");
    }

    @Test
    void firstCall_sendsTwoCommands_claimAndComplete() throws Exception {
        List<String> commands = commandsOf(() -> call("B"));

        assertThat(commands).hasSizeLessThanOrEqualTo(3).containsExactly("EVALSHA", "EVALSHA");
    }

    @Test
    void firstCall_onAServerThatForgotTheScripts_stillRunsOnce_andRecoversTheScriptCache() throws Exception {
        try (RespConnection connection = REDIS.server().connect()) {
            connection.command("SCRIPT", "FLUSH");
        }

        List<String> commands = commandsOf(() -> call("C"));

        // Redisson answers NOSCRIPT by loading the script (SCRIPT LOAD) and sending EVALSHA again: a one-off cost.
        assertThat(commands).contains("SCRIPT");
        assertThat(serial).isEqualTo(2); // the warm-up's run and this one
        assertThat(commandsOf(() -> call("C"))).containsExactly("EVALSHA");
        assertThat(commandsOf(() -> call("D"))).containsExactly("EVALSHA", "EVALSHA");
    }

    /** The commands (names only) the server received from clients while the action ran. */
    private static List<String> commandsOf(Supplier<IdempotentResult<String>> action) throws Exception {
        return CommandMonitor.commandsOf(REDIS.server(), action::get);
    }
}
