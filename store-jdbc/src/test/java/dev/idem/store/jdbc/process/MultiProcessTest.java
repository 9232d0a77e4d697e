package dev.idem.store.jdbc.process;

import dev.idem.tck.ChildJvm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.store.jdbc.JdbcDialect;
import dev.idem.store.jdbc.JdbcIdempotencyStore;
import dev.idem.store.jdbc.testing.Fixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Four JVMs on one PostgreSQL database, {@value #THREADS} threads each, all calling the same {@value #KEYS} keys in
 * the same order: every key's body runs exactly once across all of them (counted by the rows the bodies insert into
 * {@code executions}), and every caller gets that run's result. In both modes.
 */
class MultiProcessTest {
    private static final int CHILDREN = 4;
    private static final int THREADS = 4;
    private static final int KEYS = 1000;
    private static Fixture fixture;

    @BeforeAll
    static void database() {
        fixture = Fixture.postgres("multi_process", 8);
        fixture.execute("CREATE TABLE executions (k varchar(100) NOT NULL, v varchar(200) NOT NULL)");
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    @ParameterizedTest
    @EnumSource(JdbcIdempotencyStore.Mode.class)
    void fourJvms_runEachKeyOnce(JdbcIdempotencyStore.Mode mode) throws Exception {
        fixture.clear();
        fixture.execute("DELETE FROM executions");
        String namespace = "multi." + mode;
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int i = 0; i < CHILDREN; i++) {
                children.add(ChildJvm.start(ChildMain.class, "c" + i, "hammer", fixture.server().url(fixture.database()),
                        fixture.server().user(), fixture.server().password(), JdbcDialect.POSTGRESQL.name(),
                        mode.name(), namespace, String.valueOf(KEYS), String.valueOf(THREADS), "c" + i));
            }
            for (ChildJvm child : children) {
                child.awaitLine("READY"::equals, Duration.ofSeconds(60));
            }
            for (ChildJvm child : children) {
                child.send("GO");
            }
            for (ChildJvm child : children) {
                String done = child.awaitLine(line -> line.startsWith("DONE "), Duration.ofMinutes(3));
                assertThat(done).as(child.describe()).isEqualTo("DONE " + (THREADS * KEYS) + " 0");
            }
            Map<String, String> resultOf = new HashMap<>();
            List<String> wrong = new ArrayList<>();
            int calls = 0;
            for (ChildJvm child : children) {
                for (String line : child.lines()) {
                    if (line.startsWith("CALL ")) {
                        calls++;
                        String[] parts = line.split(" ");
                        String first = resultOf.putIfAbsent(parts[1], parts[2]);
                        if (first != null && !first.equals(parts[2]) && wrong.size() < 20) {
                            wrong.add(line + " (first seen: " + first + ")");
                        }
                    }
                }
            }
            assertThat(calls).isEqualTo(CHILDREN * THREADS * KEYS);
            assertThat(wrong).as("callers that got another result than the one run of their key").isEmpty();
            assertThat(fixture.count("SELECT count(*) FROM executions")).as("body runs").isEqualTo(KEYS);
            assertThat(fixture.count("SELECT count(DISTINCT k) FROM executions")).isEqualTo(KEYS);
            System.out.printf("MultiProcessTest %s: %d calls, %d executions%n", mode, calls,
                    fixture.count("SELECT count(*) FROM executions"));
        } finally {
            for (ChildJvm child : children) {
                child.close();
            }
        }
    }
}
