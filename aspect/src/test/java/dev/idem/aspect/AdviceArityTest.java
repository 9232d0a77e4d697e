package dev.idem.aspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idem.annotation.Idempotent;
import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.IdempotencyKeyReuseException;
import dev.idem.core.weaving.IdempotentMethod;
import dev.idem.testing.InMemoryIdempotencyStore;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The aspect has one advice per number of parameters (0 to 6) and one for seven or more: each must hand the engine
 * the call's own arguments, in order, primitives boxed, and run the body with them, once per key.
 */
class AdviceArityTest {
    private final Service service = new Service();

    @BeforeEach
    void configure() {
        Idempotency.configure(IdempotencyConfig.builder().defaultStore(InMemoryIdempotencyStore.create()).build());
    }

    @AfterEach
    void reset() {
        Idempotency.reset();
    }

    @Test
    void everyMethodOfThisTest_isWoven() throws Exception {
        for (Method method : Service.class.getDeclaredMethods()) {
            if (method.isAnnotationPresent(Idempotent.class)) {
                assertThat(IdempotentMethod.isWoven(method)).as(method.getName()).isTrue();
            }
        }
    }

    @Test
    void noParameters() {
        assertThat(service.none()).isEqualTo("none 1");
        assertThat(service.none()).isEqualTo("none 1");
    }

    @Test
    void oneToSixParameters_eachArgumentInItsPlace_primitivesIncluded() {
        assertThat(service.one(7L)).isEqualTo("1: 7");
        assertThat(service.two("k", 2)).isEqualTo("2: k 2");
        assertThat(service.three("k", 'c', true)).isEqualTo("3: k c true");
        assertThat(service.four("k", 1, 2.5, (byte) 4)).isEqualTo("4: k 1 2.5 4");
        assertThat(service.five("k", 1, 2, (short) 3, 4)).isEqualTo("5: k 1 2 3 4");
        assertThat(service.six("k", 1, 2, 3, 4, 5f)).isEqualTo("6: k 1 2 3 4 5.0");

        // Replays: the body does not run again, and the fingerprint (all arguments) is the same.
        assertThat(service.one(7L)).isEqualTo("1: 7");
        assertThat(service.two("k", 2)).isEqualTo("2: k 2");
        assertThat(service.three("k", 'c', true)).isEqualTo("3: k c true");
        assertThat(service.four("k", 1, 2.5, (byte) 4)).isEqualTo("4: k 1 2.5 4");
        assertThat(service.five("k", 1, 2, (short) 3, 4)).isEqualTo("5: k 1 2 3 4");
        assertThat(service.six("k", 1, 2, 3, 4, 5f)).isEqualTo("6: k 1 2 3 4 5.0");
        assertThat(service.runs).hasValue(6);

        // The last argument is part of the fingerprint, so it reached the engine.
        assertThatThrownBy(() -> service.six("k", 1, 2, 3, 4, 6f)).isInstanceOf(IdempotencyKeyReuseException.class);
    }

    @Test
    void sevenAndMoreParameters_goThroughTheJoinPoint() {
        assertThat(service.seven("k", 1, 2, 3, 4, 5, 6)).isEqualTo("7: k 1 2 3 4 5 6");
        assertThat(service.nine("k", 1, 2, 3, 4, 5, 6, 7, "last")).isEqualTo("9: k 1 2 3 4 5 6 7 last");
        assertThat(service.seven("k", 1, 2, 3, 4, 5, 6)).isEqualTo("7: k 1 2 3 4 5 6");
        assertThat(service.nine("k", 1, 2, 3, 4, 5, 6, 7, "last")).isEqualTo("9: k 1 2 3 4 5 6 7 last");
        assertThat(service.runs).hasValue(2);
        assertThatThrownBy(() -> service.nine("k", 1, 2, 3, 4, 5, 6, 7, "other"))
                .isInstanceOf(IdempotencyKeyReuseException.class);
    }

    @Test
    void aKeyFromALaterParameter_andAVarargsParameter() {
        assertThat(service.keyedByLast(1, 2, "k")).isEqualTo("last k");
        assertThat(service.keyedByLast(1, 2, "k")).isEqualTo("last k");
        assertThat(service.varargs("k", "a", "b")).isEqualTo("varargs k [a, b]");
        assertThat(service.varargs("k", "a", "b")).isEqualTo("varargs k [a, b]");
        assertThat(service.runs).hasValue(2);
    }

    @Test
    void voidPrimitiveAndGenericResults() {
        service.recordOnly("k");
        service.recordOnly("k");
        assertThat(service.twice("k", 21)).isEqualTo(42L);
        assertThat(service.twice("k", 21)).isEqualTo(42L);
        assertThat(service.flag("k")).isTrue();
        assertThat(service.flag("k")).isTrue();
        assertThat(service.listOf("k", "v")).containsExactly("v");
        assertThat(service.listOf("k", "v")).containsExactly("v");
        assertThat(service.runs).as("each body once").hasValue(4);
    }

    @Test
    void staticMethods() {
        assertThat(Service.staticOne("k")).isEqualTo("static k " + 1);
        assertThat(Service.staticOne("k")).isEqualTo("static k " + 1);
    }

    @Test
    void aCheckedException_comesOutUnchanged_andTheNextCallRunsAgain() {
        IOException failure = new IOException("disk full");
        assertThatThrownBy(() -> service.failing("k", failure)).isSameAs(failure);
        assertThatThrownBy(() -> service.failing("k", failure)).isSameAs(failure);
        assertThat(service.runs).as("a failure that is not replayed releases the key").hasValue(2);
    }

    /** The woven service. */
    static final class Service {
        private static final AtomicInteger STATIC_RUNS = new AtomicInteger();
        final AtomicInteger runs = new AtomicInteger();
        private final AtomicInteger noneRuns = new AtomicInteger();

        @Idempotent(key = "'none'")
        String none() {
            return "none " + noneRuns.incrementAndGet();
        }

        @Idempotent(key = "#p0")
        String one(long a) {
            runs.incrementAndGet();
            return "1: " + a;
        }

        @Idempotent(key = "#p0")
        String two(String k, int a) {
            runs.incrementAndGet();
            return "2: " + k + " " + a;
        }

        @Idempotent(key = "#p0")
        String three(String k, char a, boolean b) {
            runs.incrementAndGet();
            return "3: " + k + " " + a + " " + b;
        }

        @Idempotent(key = "#p0")
        String four(String k, int a, double b, byte c) {
            runs.incrementAndGet();
            return "4: " + k + " " + a + " " + b + " " + c;
        }

        @Idempotent(key = "#p0")
        String five(String k, int a, long b, short c, int d) {
            runs.incrementAndGet();
            return "5: " + k + " " + a + " " + b + " " + c + " " + d;
        }

        @Idempotent(key = "#p0")
        String six(String k, int a, int b, int c, int d, float e) {
            runs.incrementAndGet();
            return "6: " + k + " " + a + " " + b + " " + c + " " + d + " " + e;
        }

        @Idempotent(key = "#p0")
        String seven(String k, int a, int b, int c, int d, int e, int f) {
            runs.incrementAndGet();
            return "7: " + k + " " + a + " " + b + " " + c + " " + d + " " + e + " " + f;
        }

        @Idempotent(key = "#p0")
        String nine(String k, int a, int b, int c, int d, int e, int f, int g, String h) {
            runs.incrementAndGet();
            return "9: " + k + " " + a + " " + b + " " + c + " " + d + " " + e + " " + f + " " + g + " " + h;
        }

        @Idempotent(key = "#p2")
        String keyedByLast(int a, long b, String k) {
            runs.incrementAndGet();
            return "last " + k;
        }

        @Idempotent(key = "#p0")
        String varargs(String k, String... rest) {
            runs.incrementAndGet();
            return "varargs " + k + " " + java.util.Arrays.toString(rest);
        }

        @Idempotent(key = "#p0")
        void recordOnly(String k) {
            runs.incrementAndGet();
        }

        @Idempotent(key = "#p0")
        long twice(String k, long n) {
            runs.incrementAndGet();
            return 2 * n;
        }

        @Idempotent(key = "#p0")
        boolean flag(String k) {
            runs.incrementAndGet();
            return true;
        }

        @Idempotent(key = "#p0")
        <T> java.util.List<T> listOf(String k, T value) {
            runs.incrementAndGet();
            return java.util.List.of(value);
        }

        @Idempotent(key = "#p0")
        static String staticOne(String k) {
            return "static " + k + " " + STATIC_RUNS.incrementAndGet();
        }

        @Idempotent(key = "#p0", fingerprint = "none")
        String failing(String k, IOException failure) throws IOException {
            runs.incrementAndGet();
            throw failure;
        }
    }
}
