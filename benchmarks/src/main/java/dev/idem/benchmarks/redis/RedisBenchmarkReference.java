package dev.idem.benchmarks.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code redis-benchmark}'s figures for the floor commands, as a reference beside the JMH table: Redis itself
 * answering {@code GET}, {@code SET} and {@code SET NX PX} (each request a new random key) with 1, 16 and 64
 * connections, 100,000 requests each, without pipelining, on a {@link RedisProcess} of its own started like the
 * benchmarks' (so on the same machine, with the same options). It shows how close the Redisson floor is to what the
 * server can do, in C, with no client library. If {@code redis-benchmark} is not on the PATH the section says it was
 * skipped.
 *
 * <p>{@link dev.idem.benchmarks.Run} appends it when the run included the Redis benchmarks; {@link #main} prints it
 * alone.
 */
public final class RedisBenchmarkReference {
    private static final int[] CLIENTS = {1, 16, 64};
    private static final int REQUESTS = 100_000;
    private static final long TIMEOUT_SECONDS = 300;

    private RedisBenchmarkReference() {
    }

    /**
     * Prints the section.
     *
     * @param args none
     * @throws IOException if the server cannot be started
     * @throws InterruptedException if interrupted while {@code redis-benchmark} runs
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        System.out.println(markdown());
    }

    /**
     * Runs {@code redis-benchmark} and formats its figures as a markdown section.
     *
     * @return the section
     * @throws IOException if the server cannot be started
     * @throws InterruptedException if interrupted while {@code redis-benchmark} runs
     */
    public static String markdown() throws IOException, InterruptedException {
        Optional<Path> binary = RedisProcess.onPath("redis-benchmark");
        StringBuilder out = new StringBuilder("\n### redis-benchmark (reference)\n\n");
        if (binary.isEmpty()) {
            return out.append("Skipped: no redis-benchmark on the PATH.\n").toString();
        }
        out.append("`redis-benchmark -n ").append(REQUESTS).append(" -c <clients> --csv`, on a redis-server of its ")
                .append("own started like the benchmarks'; ops/ms = requests per second / 1000.\n\n")
                .append("| command | clients | ops/ms | avg µs | p50 µs | p99 µs |\n")
                .append("|---|---|---|---|---|---|\n");
        try (RedisProcess redis = RedisProcess.start()) {
            for (int clients : CLIENTS) {
                List<String> rows = new ArrayList<>();
                rows.addAll(run(binary.get(), redis, clients, List.of("-t", "get,set")));
                rows.addAll(run(binary.get(), redis, clients,
                        List.of("-r", "100000000", "SET", "key:__rand_int__", "xxx", "NX", "PX", "30000")));
                for (String row : rows) {
                    out.append(row);
                }
            }
        }
        return out.toString();
    }

    /** One redis-benchmark run; its CSV lines as table rows. */
    private static List<String> run(Path binary, RedisProcess redis, int clients, List<String> test)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "-h", "127.0.0.1",
                "-p", Integer.toString(redis.port()), "-n", Integer.toString(REQUESTS),
                "-c", Integer.toString(clients), "--csv"));
        command.addAll(test);
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("redis-benchmark did not finish within " + TIMEOUT_SECONDS + " s");
        }
        List<String> rows = new ArrayList<>();
        for (String line : output.split("\\R")) {
            // "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms",...
            if (line.isBlank() || line.startsWith("\"test\"")) {
                continue;
            }
            String[] fields = line.replace("\"", "").split(",");
            if (fields.length < 7) {
                continue;
            }
            String name = fields[0].startsWith("SET key:__rand_int__") ? "SET NX PX (new key)" : fields[0];
            rows.add(String.format(Locale.ROOT, "| %s | %d | %.1f | %.0f | %.0f | %.0f |%n", name, clients,
                    Double.parseDouble(fields[1]) / 1000, 1000 * Double.parseDouble(fields[2]),
                    1000 * Double.parseDouble(fields[4]), 1000 * Double.parseDouble(fields[6])));
        }
        if (rows.isEmpty()) {
            rows.add("| " + String.join(" ", test) + " | " + clients + " | failed (exit " + process.exitValue()
                    + ") | | | |\n");
        }
        return rows;
    }
}
