package dev.idem.tck;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child JVM for multi-process tests of a store (several processes on one server, a process killed mid-call),
 * seen from the test: its output lines (stdout and stderr merged) are collected by a reader thread;
 * {@link #awaitLine} waits, bounded, for one; {@link #close()} kills it if it still runs. The class path is this JVM's
 * test class path, so the child sees the test classes and every dependency.
 */
public final class ChildJvm implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Thread reader;
    private final List<String> lines = new ArrayList<>();

    private ChildJvm(String name, Process process) {
        this.name = name;
        this.process = process;
        this.reader = new Thread(this::drain, "child-reader-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code java -cp <test class path> <main> <args>}.
     *
     * @param main the class whose {@code main} the child runs; it must be on this JVM's class path
     * @param name a name for messages
     * @param args the arguments of {@code main}
     * @return the running child
     * @throws IOException if it cannot be started
     */
    public static ChildJvm start(Class<?> main, String name, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-cp", testClassPath(main),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                main.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new ChildJvm(name, process);
    }

    /**
     * The {@code java} of this JVM.
     *
     * @return its path
     */
    public static String javaBinary() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }

    /**
     * The test class path. Surefire's forked JVM reports it as {@code java.class.path} even when it boots from a
     * manifest-only jar (which it then names in {@code surefire.real.class.path}); checked here, because a child
     * started on the booter jar alone would fail in a confusing way.
     *
     * @param main a class the child needs
     * @return the class path
     */
    public static String testClassPath(Class<?> main) {
        String classPath = System.getProperty("java.class.path");
        File mine = new File(main.getProtectionDomain().getCodeSource().getLocation().getPath()).getAbsoluteFile();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (new File(entry).getAbsoluteFile().equals(mine)) {
                return classPath;
            }
        }
        throw new IllegalStateException("java.class.path lacks " + mine + " (where " + main.getName() + " is): "
                + classPath);
    }

    private void drain() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    /**
     * Waits for an output line that matches.
     *
     * @param matches the test
     * @param timeout the bound
     * @return the first matching line
     * @throws AssertionError with the child's output if none came in time or the child ended without one
     */
    public String awaitLine(Predicate<String> matches, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            int seen = 0;
            while (true) {
                for (; seen < lines.size(); seen++) {
                    if (matches.test(lines.get(seen))) {
                        return lines.get(seen);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(name + ": no expected line within " + timeout + describe());
                }
                if (!reader.isAlive()) {
                    throw new AssertionError(name + ": ended without the expected line" + describe());
                }
                TimeUnit.NANOSECONDS.timedWait(lines, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
            }
        }
    }

    /** Sends a line to the child's stdin. */
    public void send(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /**
     * Waits, bounded, for the child to exit and for its output to be read to the end.
     *
     * @param timeout the bound
     * @return the exit code
     * @throws AssertionError with the child's output if it did not exit in time
     */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + ": still running after " + timeout + describe());
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        return process.exitValue();
    }

    /** Kills the child with SIGKILL and waits, bounded, for it to end. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError(name + ": survived SIGKILL for 10 s");
        }
    }

    /**
     * The child's process id.
     *
     * @return the pid
     */
    public long pid() {
        return process.pid();
    }

    /** A copy of the output read so far. */
    public List<String> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    /**
     * The first line read so far that matches.
     *
     * @param matches the condition
     * @return the line, if one was read
     */
    public Optional<String> firstLine(Predicate<String> matches) {
        return lines().stream().filter(matches).findFirst();
    }

    /** The child's output for a failure message: its lines other than the bulk reports, and their count. */
    public String describe() {
        List<String> all = lines();
        StringBuilder text = new StringBuilder("\n--- output of ").append(name).append(" (pid ").append(pid())
                .append(", ").append(process.isAlive() ? "running" : "exit " + process.exitValue()).append(", ")
                .append(all.size()).append(" lines; EXEC/CALL lines left out) ---\n");
        int shown = 0;
        for (String line : all) {
            if (!line.startsWith("EXEC ") && !line.startsWith("CALL ") && shown++ < 200) {
                text.append(line).append('\n');
            }
        }
        return text.append("--- end of ").append(name).append(" ---").toString();
    }

    /** Kills the child if it still runs (SIGKILL), bounded. Safe to call twice. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // gone already
        }
    }
}
