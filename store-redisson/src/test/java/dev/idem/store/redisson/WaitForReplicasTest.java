package dev.idem.store.redisson;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.IdempotentOperation;
import dev.idem.store.redisson.testing.RedisServerExtension;
import dev.idem.store.redisson.testing.RespConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * What {@code waitForReplicas} sends, watched with {@code MONITOR} on a standalone server (no replica, so the wait
 * always runs into its timeout): the completing script and a {@code WAIT} behind it; a replay is unchanged; and a
 * wait that times out still records the outcome and returns the caller's result.
 */
class WaitForReplicasTest {
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
        client.shutdown();
    }

    @AfterEach
    void reset() {
        Idempotency.reset();
    }

    @Test
    void firstCall_addsOneWait_replayIsUnchanged_andATimedOutWaitStillRecords() throws Exception {
        Idempotency.configure(IdempotencyConfig.builder()
                .defaultStore(RedissonIdempotencyStore.builder(client)
                        .waitForReplicas(1, Duration.ofMillis(200)).build())
                .keyPrefix("wait:")
                .build());
        IdempotentOperation<String> op = Idempotency.operation("op", String.class).build();
        op.call("warm-up", "p", () -> "w"); // loads the scripts

        List<String> first;
        long started = System.nanoTime();
        try (RespConnection monitor = REDIS.server().connect(); RespConnection marker = REDIS.server().connect()) {
            monitor.command("MONITOR");
            marker.command("ECHO", "idem-start");
            assertThat(op.call("A", "p", () -> "a").replayed()).isFalse();
            marker.command("ECHO", "idem-end");
            first = commands(monitor);
        }
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(first).containsExactly("EVALSHA", "EVALSHA", "WAIT");
        assertThat(tookMillis).isGreaterThanOrEqualTo(150); // no replica: WAIT ran into its timeout
        try (RespConnection monitor = REDIS.server().connect(); RespConnection marker = REDIS.server().connect()) {
            monitor.command("MONITOR");
            marker.command("ECHO", "idem-start");
            assertThat(op.call("A", "p", () -> "ran again").value()).isEqualTo("a");
            marker.command("ECHO", "idem-end");
            assertThat(commands(monitor)).containsExactly("EVALSHA");
        }
    }

    private static List<String> commands(RespConnection monitor) throws Exception {
        List<String> commands = new ArrayList<>();
        boolean started = false;
        while (true) {
            String line = (String) monitor.read();
            if (line.contains("\"idem-start\"")) {
                started = true;
            } else if (line.contains("\"idem-end\"")) {
                return commands;
            } else if (started && !line.contains("[0 lua]")) {
                String command = line.substring(line.indexOf("] \"") + 3);
                command = command.substring(0, command.indexOf('"')).toUpperCase(Locale.ROOT);
                if (!command.equals("PING")) {
                    commands.add(command);
                }
            }
        }
    }
}
