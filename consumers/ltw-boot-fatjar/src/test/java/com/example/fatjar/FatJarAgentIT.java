package com.example.fatjar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Starts the repackaged Spring Boot jar in a real JVM, as it runs in production:
 * {@code java -javaagent:aspectjweaver.jar -jar app.jar}.
 */
class FatJarAgentIT {
    /** Generous for a busy 2-core machine; the run takes a few seconds. A weaver that inspects every class of the
     *  fat jar (no include in aop.xml) costs far more on a real application. */
    private static final Duration START_UP_BOUND = Duration.ofSeconds(60);

    @Test
    void theAgentWeavesTheFatJar_aRepeatReplays_withoutWeaverNoise() throws Exception {
        Run woven = run(List.of("-javaagent:" + property("aspectjweaver.jar")));

        assertEquals(0, woven.exitCode, woven.output);
        assertTrue(woven.output.contains(
                "RESULT first.replayed=false repeat.replayed=true repeat.value=quote 1 for c-1 runs=1"), woven.output);
        assertFalse(woven.output.contains("cantFindType"), "weaver noise in:\n" + woven.output);
        assertFalse(woven.output.contains("[error]"), "weaver errors in:\n" + woven.output);
        assertFalse(woven.output.contains("[warning]"), "weaver warnings in:\n" + woven.output);
        assertTrue(woven.elapsed.compareTo(START_UP_BOUND) < 0, "took " + woven.elapsed);
        System.out.println("with the agent: " + woven.elapsed.toMillis() + " ms");
    }

    @Test
    void withoutTheAgentTheAnnotationIsIgnored() throws Exception {
        Run plain = run(List.of());

        assertEquals(0, plain.exitCode, plain.output);
        assertTrue(plain.output.contains("repeat.replayed=false") && plain.output.contains("runs=2"), plain.output);
        System.out.println("without the agent: " + plain.elapsed.toMillis() + " ms");
    }

    private static Run run(List<String> jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(property("java.executable"));
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(property("app.jar"));
        Path log = Files.createTempFile("fatjar", ".log");
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(START_UP_BOUND.toSeconds() * 2, TimeUnit.SECONDS)) {
                fail("the app did not end within " + START_UP_BOUND.multipliedBy(2) + ":\n" + Files.readString(log));
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            return new Run(process.exitValue(), Files.readString(log), elapsed);
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set (run through mvn verify)");
        }
        return value;
    }

    private record Run(int exitCode, String output, Duration elapsed) {
    }
}
