package dev.idem.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import dev.idem.benchmarks.redis.RedisBenchmarkReference;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmarks with the settings (fork 1, 3 x 1 s warm-up, 5 x 1 s measurement, {@code -prof gc})
 * and prints a markdown table that pairs each idem figure with its floor and the ratio.
 *
 * <p>Pairing convention: a benchmark method is named {@code <case>_<variant>}. The variant {@code floor} is the
 * reference of its case in the same class (and with the same {@code @Param} values and thread count); every other
 * method of the case gets a row with its ratio to it. A variant that starts with {@code floor} but is not exactly
 * {@code floor} (for example {@code replay_floorConcurrentHashMap}) is a second hand-written baseline: it is printed
 * with its ratio to the floor too. For time modes the ratio is idem's time / the floor's time; for throughput it is
 * idem's throughput as a percentage of the floor's. In sample-time mode each variant also gets a p50 and a p99 row,
 * paired with the floor's p50 and p99.
 *
 * <p>When the run included the Redis benchmarks ({@code dev.idem.benchmarks.redis}), {@code redis-benchmark}'s
 * figures for the floor commands follow the table ({@link dev.idem.benchmarks.redis.RedisBenchmarkReference}).
 *
 * <p>Arguments are JMH's own command-line options (a regular expression selects benchmarks, {@code -f}, {@code -wi},
 * {@code -i}, {@code -t} override the defaults). The table also goes to {@code benchmarks-results.md} in the working
 * directory.
 */
public final class Run {
    private static final String REDIS_PACKAGE = "dev.idem.benchmarks.redis.";

    private Run() {
    }

    /**
     * Runs the selected benchmarks and prints the table.
     *
     * @param args JMH command-line options
     * @throws RunnerException if JMH fails
     * @throws CommandLineOptionException if an option is invalid
     * @throws IOException if the table cannot be written
     * @throws InterruptedException if interrupted while {@code redis-benchmark} runs
     */
    public static void main(String[] args)
            throws RunnerException, CommandLineOptionException, IOException, InterruptedException {
        CommandLineOptions cmd = new CommandLineOptions(args);
        OptionsBuilder options = new OptionsBuilder();
        options.parent(cmd);
        if (cmd.getIncludes().isEmpty()) {
            options.include("dev\\.idem\\.benchmarks\\..*");
        }
        if (!cmd.getForkCount().hasValue()) {
            options.forks(1);
        }
        if (!cmd.getWarmupIterations().hasValue()) {
            options.warmupIterations(3);
        }
        if (!cmd.getWarmupTime().hasValue()) {
            options.warmupTime(TimeValue.seconds(1));
        }
        if (!cmd.getMeasurementIterations().hasValue()) {
            options.measurementIterations(5);
        }
        if (!cmd.getMeasurementTime().hasValue()) {
            options.measurementTime(TimeValue.seconds(1));
        }
        if (cmd.getProfilers().isEmpty()) {
            options.addProfiler("gc");
        }
        if (cmd.shouldList() || cmd.shouldListWithParams()) {
            new Runner(options.build()).list(); // JMH's -l and -lp: list the selected benchmarks, run nothing
            return;
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        String table = table(results);
        if (results.stream().anyMatch(r -> r.getParams().getBenchmark().startsWith(REDIS_PACKAGE))) {
            try {
                table += RedisBenchmarkReference.markdown();
            } catch (IOException e) { // the reference must not cost the JMH table
                table += "\n### redis-benchmark (reference)\n\nFailed: " + e.getMessage() + "\n";
            }
        }
        System.out.println();
        System.out.println(table);
        Files.writeString(Path.of("benchmarks-results.md"), table);
    }

    /** One measured benchmark method. */
    record Row(String group, String caseName, String variant, double score, String unit, boolean throughput,
            double bytesPerOp) {
    }

    static String table(Collection<RunResult> results) {
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        for (RunResult result : results) {
            BenchmarkParams params = result.getParams();
            String benchmark = params.getBenchmark();
            String className = benchmark.substring(0, benchmark.lastIndexOf('.'));
            String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            int underscore = method.indexOf('_');
            String caseName = underscore < 0 ? method : method.substring(0, underscore);
            String variant = underscore < 0 ? "" : method.substring(underscore + 1);
            StringBuilder group = new StringBuilder(className.substring("dev.idem.benchmarks.".length()))
                    .append('.').append(caseName);
            for (String key : params.getParamsKeys()) {
                group.append(' ').append(key).append('=').append(params.getParam(key));
            }
            group.append(" threads=").append(params.getThreads());
            Result<?> primary = result.getPrimaryResult();
            Result<?> gc = result.getSecondaryResults().get("gc.alloc.rate.norm");
            boolean throughput = params.getMode() == Mode.Throughput;
            Row row = new Row(group.toString(), caseName, variant, primary.getScore(), primary.getScoreUnit(),
                    throughput, gc == null ? Double.NaN : gc.getScore());
            List<Row> rows = groups.computeIfAbsent(group.toString(), g -> new ArrayList<>());
            rows.add(row);
            if (params.getMode() == Mode.SampleTime) {
                // each percentile is a case of its own, so that it pairs with the floor's same percentile
                for (int percentile : new int[] {50, 99}) {
                    String percentileGroup = group + " p" + percentile;
                    groups.computeIfAbsent(percentileGroup, g -> new ArrayList<>()).add(new Row(percentileGroup,
                            caseName, variant, primary.getStatistics().getPercentile(percentile),
                            primary.getScoreUnit(), false, Double.NaN));
                }
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("| case | variant | score | B/op | floor | floor B/op | ratio |\n");
        out.append("|---|---|---|---|---|---|---|\n");
        for (List<Row> rows : groups.values()) {
            Row floor = rows.stream().filter(r -> r.variant().equals("floor")).findFirst().orElse(null);
            for (Row row : rows) {
                if (row == floor) {
                    continue;
                }
                out.append("| ").append(row.group()).append(" | ").append(row.variant()).append(" | ")
                        .append(format(row.score())).append(' ').append(row.unit()).append(" | ")
                        .append(format(row.bytesPerOp())).append(" | ");
                if (floor == null) {
                    out.append("(no floor) | | |\n");
                    continue;
                }
                out.append(format(floor.score())).append(' ').append(floor.unit()).append(" | ")
                        .append(format(floor.bytesPerOp())).append(" | ");
                if (row.throughput()) {
                    out.append(String.format(Locale.ROOT, "%.0f%%", 100 * row.score() / floor.score()));
                } else {
                    out.append(String.format(Locale.ROOT, "%.2fx", row.score() / floor.score()));
                }
                out.append(" |\n");
            }
        }
        return out.toString();
    }

    private static String format(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%.1f", value);
    }
}
