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
import org.openjdk.jmh.infra.BenchmarkParams;
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
 * idem's throughput as a percentage of the floor's.
 *
 * <p>Arguments are JMH's own command-line options (a regular expression selects benchmarks, {@code -f}, {@code -wi},
 * {@code -i}, {@code -t} override the defaults). The table also goes to {@code benchmarks-results.md} in the working
 * directory.
 */
public final class Run {
    private Run() {
    }

    /**
     * Runs the selected benchmarks and prints the table.
     *
     * @param args JMH command-line options
     * @throws RunnerException if JMH fails
     * @throws CommandLineOptionException if an option is invalid
     * @throws IOException if the table cannot be written
     */
    public static void main(String[] args) throws RunnerException, CommandLineOptionException, IOException {
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
        Collection<RunResult> results = new Runner(options.build()).run();
        String table = table(results);
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
            boolean throughput = params.getMode().shortLabel().equals("thrpt");
            groups.computeIfAbsent(group.toString(), g -> new ArrayList<>()).add(new Row(group.toString(),
                    caseName, variant, primary.getScore(), primary.getScoreUnit(), throughput,
                    gc == null ? Double.NaN : gc.getScore()));
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
