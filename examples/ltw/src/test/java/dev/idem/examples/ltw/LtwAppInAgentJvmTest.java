package dev.idem.examples.ltw;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.core.Idempotency;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs in a test JVM that surefire starts with {@code -javaagent:} in its {@code argLine} (a surefire execution of its
 * own in pom.xml): the configuration the README gives users whose tests call {@code @Idempotent} methods.
 */
class LtwAppInAgentJvmTest {

    @AfterEach
    void resetIdem() {
        Idempotency.reset();
    }

    @Test
    void theTestJvmsAgent_weavesTheApp() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        boolean woven;
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            woven = LtwApp.run(out);
        }
        String printed = buffer.toString(StandardCharsets.UTF_8);

        assertThat(woven).as("run with surefire's argLine -javaagent (see pom.xml); the app printed:%n%s", printed)
                .isTrue();
        assertThat(printed).contains("body ran: 1 time(s)", "woven: yes");
    }

    @Test
    void requireWoven_acceptsAClassTheAgentWove() {
        Idempotency.requireWoven(OrderService.class); // throws IdempotencyConfigurationException if not woven
        assertThat(dev.idem.core.weaving.IdempotentMethod.isWoven(java.util.Arrays.stream(
                OrderService.class.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(dev.idem.annotation.Idempotent.class)).findFirst().orElseThrow()))
                .isTrue();
    }
}
