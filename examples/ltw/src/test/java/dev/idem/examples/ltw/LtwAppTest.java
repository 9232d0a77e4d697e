package dev.idem.examples.ltw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts {@link LtwApp} as a user would: in a JVM of its own, once with the AspectJ weaver agent (repeats replay) and
 * once without it (the body runs on every call, so it is the agent that does the weaving, not some other path).
 */
class LtwAppTest {
    private static final long TIMEOUT_SECONDS = 60;

    @TempDir
    Path dir;

    @Test
    void withTheAgent_repeatsReplay() throws Exception {
        Run run = runApp(true);

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.output()).as(run.describe())
                .contains("body ran: 1 time(s) in " + LtwApp.CALLS + " calls")
                .contains("woven: yes")
                .doesNotContain("woven: no");
        // every call got the first call's confirmation
        assertThat(run.output().lines().filter(line -> line.endsWith("confirmed as C-1")).count())
                .as(run.describe()).isEqualTo(LtwApp.CALLS);
    }

    @Test
    void withoutTheAgent_theBodyRunsEveryTime() throws Exception {
        Run run = runApp(false);

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.output()).as(run.describe())
                .contains("body ran: " + LtwApp.CALLS + " time(s) in " + LtwApp.CALLS + " calls")
                .contains("woven: no");
    }

    private Run runApp(boolean withAgent) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (withAgent) {
            command.add("-javaagent:" + weaverJar());
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(LtwApp.class.getName());

        Path log = dir.resolve(withAgent ? "with-agent.log" : "without-agent.log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile()) // a file, not a pipe: the child can never block on a full pipe
                .start();
        boolean exited = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (!exited) {
            fail("the app did not exit within " + TIMEOUT_SECONDS + " s; command: " + command
                    + "\n--- its output ---\n" + output);
        }
        return new Run(command, process.exitValue(), output);
    }

    private static String weaverJar() {
        String jar = System.getProperty("aspectjweaver.jar");
        assertThat(jar).as("system property aspectjweaver.jar (set by the surefire configuration in pom.xml)")
                .isNotBlank()
                .doesNotContain("${");
        assertThat(new File(jar)).as("the weaver jar").isFile();
        return jar;
    }

    private record Run(List<String> command, int exitCode, String output) {
        String describe() {
            return "command: " + command + "\nexit code: " + exitCode + "\n--- the app's output ---\n" + output;
        }
    }
}
