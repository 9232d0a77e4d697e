package dev.idem.store.redisson.process;

import dev.idem.tck.ChildJvm;
import dev.idem.annotation.OnInFlight;
import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.IdempotentOperation;
import dev.idem.core.IdempotentResult;
import dev.idem.store.redisson.RedissonIdempotencyStore;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * The main class of the child JVMs that the multi-process tests start ({@link ChildJvm}). It talks to the
 * parent with lines: commands on stdin, reports on stdout.
 *
 * <ul>
 * <li>{@code hammer <redis address> <namespace> <keys> <threads> <label>}: prints {@code READY}, waits for
 * {@code GO} on stdin, then every thread calls the operation once for every key {@code k0..k<keys-1>} (all threads
 * in the same order, so that they collide). Each body run prints {@code EXEC <key> <result>}, with a result
 * {@code <label>/<pid>:<serial>} that names this process and run; each call prints
 * {@code CALL <key> <result> <replayed>}, a failed call {@code ERROR <key> <exception>}. Then
 * {@code DONE <calls> <errors> <start millis> <end millis>}, and exits.</li>
 * <li>{@code skewed <redis address> <namespace> <key> <clock offset millis> <WAIT|REJECT> <hold>}: configures idem
 * with a clock that is off by the offset, then makes one call (lease 1 s, ttl 6 s: long enough for a fresh JVM to start and replay on a loaded machine); its body prints
 * {@code INSIDE <key> <pid>} and, if {@code hold} is true, waits for {@code FINISH} on stdin. Then prints
 * {@code RESULT <value> <replayed>} or {@code ERROR <exception class>}, and exits.</li>
 * <li>{@code crash <redis address> <namespace> <key> <lease millis>}: calls the operation; its body prints
 * {@code INSIDE <key> <pid>} and blocks until the process is killed.</li>
 * </ul>
 *
 * <p>The child never outlives its parent: when its stdin reaches end-of-file (the parent died or gave up) it halts,
 * and it halts anyway after {@link #MAX_LIFETIME}.
 */
public final class ChildMain {
    /** Whatever happens, a child halts after this long. */
    static final Duration MAX_LIFETIME = Duration.ofMinutes(2);

    private static final PrintWriter OUT = new PrintWriter(
            new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16), false);

    private ChildMain() {
    }

    public static void main(String[] args) throws Exception {
        startLifeGuard();
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            switch (args[0]) {
                case "hammer" -> hammer(stdin, args[1], args[2], Integer.parseInt(args[3]),
                        Integer.parseInt(args[4]), args[5]);
                case "skewed" -> skewed(stdin, args[1], args[2], args[3], Long.parseLong(args[4]),
                        OnInFlight.valueOf(args[5]), Boolean.parseBoolean(args[6]));
                case "crash" -> crash(stdin, args[1], args[2], args[3], Long.parseLong(args[4]));
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
        } catch (Throwable t) {
            line("FAILED " + t);
            t.printStackTrace();
            System.exit(1);
        }
        OUT.flush();
        System.exit(0); // whatever non-daemon threads a library left behind
    }

    private static void hammer(BufferedReader stdin, String address, String namespace, int keys, int threads,
            String label) throws Exception {
        RedissonClient client = client(address);
        try {
            Idempotency.configure(IdempotencyConfig.builder()
                    .defaultStore(RedissonIdempotencyStore.create(client))
                    .build());
            IdempotentOperation<String> operation = Idempotency.operation(namespace, String.class)
                    .waitTimeout(Duration.ofSeconds(60))
                    .build();
            String prefix = label + "/" + ProcessHandle.current().pid() + ":";
            AtomicLong serial = new AtomicLong();
            // Warm up on a key of another namespace: loads classes and the scripts, opens connections.
            Idempotency.operation(namespace + ".warm-up", String.class).build()
                    .execute(label, "warm-up", () -> "warm");
            line("READY");
            String command = stdin.readLine();
            if (!"GO".equals(command)) {
                throw new IllegalStateException("expected GO, got " + command);
            }
            watchStdin(stdin);
            AtomicLong calls = new AtomicLong();
            AtomicLong errors = new AtomicLong();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread worker = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int k = 0; k < keys; k++) {
                        String key = "k" + k;
                        try {
                            IdempotentResult<String> result = operation.call(key, "payload-" + key, () -> {
                                String value = prefix + serial.incrementAndGet();
                                report("EXEC " + key + " " + value);
                                return value;
                            });
                            report("CALL " + key + " " + result.value() + " " + result.replayed());
                        } catch (RuntimeException e) {
                            errors.incrementAndGet();
                            report("ERROR " + key + " " + e.toString().replace('\n', ' '));
                        }
                        calls.incrementAndGet();
                    }
                }, "hammer-" + t);
                workers.add(worker);
                worker.start();
            }
            long startMillis = System.currentTimeMillis();
            start.countDown();
            for (Thread worker : workers) {
                worker.join();
            }
            long endMillis = System.currentTimeMillis();
            line("DONE " + calls.get() + " " + errors.get() + " " + startMillis + " " + endMillis);
        } finally {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    private static void skewed(BufferedReader stdin, String address, String namespace, String key, long offsetMillis,
            OnInFlight onInFlight, boolean hold) throws Exception {
        RedissonClient client = client(address);
        try {
            Idempotency.configure(IdempotencyConfig.builder()
                    .defaultStore(RedissonIdempotencyStore.create(client))
                    .clock(java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofMillis(offsetMillis)))
                    .build());
            IdempotentOperation<String> operation = Idempotency.operation(namespace, String.class)
                    .lease(Duration.ofSeconds(1)).ttl(Duration.ofSeconds(6)).onInFlight(onInFlight)
                    .waitTimeout(Duration.ofSeconds(30)).build();
            String value = "run-" + ProcessHandle.current().pid();
            try {
                IdempotentResult<String> result = operation.call(key, "payload", () -> {
                    line("INSIDE " + key + " " + ProcessHandle.current().pid());
                    if (hold) {
                        try {
                            String command = stdin.readLine();
                            if (!"FINISH".equals(command)) {
                                throw new IllegalStateException("expected FINISH, got " + command);
                            }
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                    return value;
                });
                line("RESULT " + result.value() + " " + result.replayed());
            } catch (RuntimeException e) {
                line("ERROR " + e.getClass().getName());
            }
        } finally {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    private static void crash(BufferedReader stdin, String address, String namespace, String key, long leaseMillis)
            throws Exception {
        watchStdin(stdin);
        RedissonClient client = client(address);
        Idempotency.configure(IdempotencyConfig.builder()
                .defaultStore(RedissonIdempotencyStore.create(client))
                .build());
        IdempotentOperation<String> operation = Idempotency.operation(namespace, String.class)
                .lease(Duration.ofMillis(leaseMillis))
                .build();
        String result = operation.execute(key, "payload", () -> {
            line("INSIDE " + key + " " + ProcessHandle.current().pid());
            try {
                new CountDownLatch(1).await(); // until SIGKILL (or the life guard)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "child-should-never-return";
        });
        line("RETURNED " + result); // the parent fails the test if it ever sees this
    }

    private static RedissonClient client(String address) {
        Config config = new Config();
        config.setThreads(4).setNettyThreads(8);
        config.useSingleServer().setAddress(address);
        return Redisson.create(config);
    }

    /** A line the parent waits for: flushed at once. */
    private static void line(String text) {
        synchronized (OUT) {
            OUT.println(text);
            OUT.flush();
        }
    }

    /** A bulk report line: buffered, flushed by the next {@link #line}. */
    private static void report(String text) {
        synchronized (OUT) {
            OUT.println(text);
        }
    }

    /** Halts when the parent closes stdin or dies. */
    private static void watchStdin(BufferedReader stdin) {
        Thread watcher = new Thread(() -> {
            try {
                while (stdin.readLine() != null) {
                    // ignore further input
                }
            } catch (IOException e) {
                // treat like end-of-file
            }
            Runtime.getRuntime().halt(3);
        }, "stdin-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void startLifeGuard() {
        Thread guard = new Thread(() -> {
            try {
                Thread.sleep(MAX_LIFETIME.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("child " + ProcessHandle.current().pid() + " outlived " + MAX_LIFETIME + "; halting");
            Runtime.getRuntime().halt(4);
        }, "life-guard");
        guard.setDaemon(true);
        guard.start();
    }
}
