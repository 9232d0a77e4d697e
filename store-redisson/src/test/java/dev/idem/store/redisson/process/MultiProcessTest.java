package dev.idem.store.redisson.process;

import dev.idem.tck.ChildJvm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.store.redisson.testing.RedisServerExtension;
import dev.idem.store.redisson.testing.RespConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Four separate JVMs, each with eight threads, call one operation for the same 1,000 keys at the same time, all on
 * one real {@code redis-server}: across all of them the body runs exactly once per key, and every caller in every
 * JVM gets that run's result.
 */
class MultiProcessTest {
    private static final int CHILDREN = 4;
    private static final int THREADS = 8;
    private static final int KEYS = 1_000;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);

    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    @Test
    @Timeout(240)
    void fourJvms_sameThousandKeys_oneExecutionPerKey_sameResultEverywhere() throws Exception {
        try (RespConnection connection = REDIS.server().connect()) {
            connection.command("FLUSHALL");
        }
        String namespace = "multi.process";
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int i = 0; i < CHILDREN; i++) {
                children.add(ChildJvm.start(ChildMain.class, "child-" + i, "hammer", REDIS.server().address(), namespace,
                        Integer.toString(KEYS), Integer.toString(THREADS), "c" + i));
            }
            for (ChildJvm child : children) {
                child.awaitLine("READY"::equals, START_TIMEOUT);
            }
            for (ChildJvm child : children) { // all are ready and waiting: they start together
                child.send("GO");
            }
            List<long[]> windows = new ArrayList<>();
            for (ChildJvm child : children) {
                String done = child.awaitLine(line -> line.startsWith("DONE "), RUN_TIMEOUT);
                String[] parts = done.split(" ");
                assertThat(Long.parseLong(parts[1])).as("calls of %s", done).isEqualTo((long) THREADS * KEYS);
                assertThat(Long.parseLong(parts[2])).as("failed calls%s", child.describe()).isZero();
                windows.add(new long[] {Long.parseLong(parts[3]), Long.parseLong(parts[4])});
                assertThat(child.awaitExit(Duration.ofSeconds(30))).as("exit code%s", child.describe()).isZero();
            }
            verify(children, windows);
        } finally {
            for (ChildJvm child : children) {
                child.close();
            }
        }
    }

    private static void verify(List<ChildJvm> children, List<long[]> windows) {
        Map<String, List<String>> executions = new TreeMap<>();
        Map<String, Integer> executionsPerChild = new TreeMap<>();
        List<String[]> calls = new ArrayList<>();
        Map<String, Integer> replays = new HashMap<>();
        for (int i = 0; i < children.size(); i++) {
            String label = "c" + i + "/";
            for (String line : children.get(i).lines()) {
                String[] parts = line.split(" ");
                if (line.startsWith("EXEC ")) {
                    assertThat(parts[2]).as("a result names the JVM that ran the body").startsWith(label);
                    executions.computeIfAbsent(parts[1], k -> new ArrayList<>()).add(parts[2]);
                    executionsPerChild.merge(label, 1, Integer::sum);
                } else if (line.startsWith("CALL ")) {
                    calls.add(parts);
                    if (Boolean.parseBoolean(parts[3])) {
                        replays.merge(label, 1, Integer::sum);
                    }
                } else if (line.startsWith("ERROR ")) {
                    throw new AssertionError("a call failed: " + line + children.get(i).describe());
                }
            }
        }
        System.out.printf("MultiProcessTest: executions per JVM %s, replays per JVM %s%n", executionsPerChild,
                replays);

        assertThat(executions.size()).as("keys whose body ran").isEqualTo(KEYS);
        List<String> repeated = new ArrayList<>();
        executions.forEach((key, results) -> {
            if (results.size() != 1) {
                repeated.add(key + "=" + results);
            }
        });
        assertThat(repeated.size()).as("keys whose body ran more than once, across all JVMs (the first 20: %s)",
                repeated.subList(0, Math.min(20, repeated.size()))).isZero();

        assertThat(calls.size()).as("calls reported").isEqualTo(CHILDREN * THREADS * KEYS);
        List<String> wrong = new ArrayList<>();
        for (String[] call : calls) {
            String expected = executions.get(call[1]).get(0);
            if (!expected.equals(call[2]) && wrong.size() < 20) {
                wrong.add(String.join(" ", call) + " (ran: " + expected + ")");
            }
        }
        assertThat(wrong).as("callers that got another result than the one run of their key").isEmpty();

        long latestStart = windows.stream().mapToLong(w -> w[0]).max().orElseThrow();
        long earliestEnd = windows.stream().mapToLong(w -> w[1]).min().orElseThrow();
        assertThat(latestStart).as("the JVMs hammered at the same time (latest start before earliest end)")
                .isLessThan(earliestEnd);
    }
}
