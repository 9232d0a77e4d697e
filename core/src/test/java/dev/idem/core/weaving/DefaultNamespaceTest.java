package dev.idem.core.weaving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.annotation.Idempotent;
import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.event.IdempotencyEvent;
import dev.idem.core.testing.InMemoryStore;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The default namespace is {@code Class#method}; only {@code @Idempotent} overloads add their parameter types, by
 * simple name, or by full name where simple names clash. Overloads never share keys.
 */
class DefaultNamespaceTest {

    /** A service with one plain method and two overloads. */
    static class Service {
        @Idempotent(key = "#id")
        public String charge(String id) {
            return "charge:" + id;
        }

        @Idempotent(key = "#id")
        public String refund(String id) {
            return "refund(String):" + id;
        }

        @Idempotent(key = "#id")
        public String refund(String id, long amount) {
            return "refund(String,long):" + id;
        }

        /** Not idempotent: does not make {@code charge} an overload. */
        public String charge(String id, int attempt) {
            return id + attempt;
        }
    }

    /** Overloads whose parameter types have the same simple name. */
    static class Clashing {
        @Idempotent(key = "#id")
        public String send(String id, java.util.Date at) {
            return "util";
        }

        @Idempotent(key = "#id")
        public String send(String id, java.sql.Date at) {
            return "sql";
        }
    }

    @AfterEach
    void reset() {
        Idempotency.reset();
    }

    private static Method method(Class<?> type, String name, Class<?>... parameters) throws NoSuchMethodException {
        return type.getDeclaredMethod(name, parameters);
    }

    @Test
    void aMethodWithoutIdempotentOverloads_isClassHashMethod() throws Exception {
        assertThat(IdempotentMethod.defaultNamespace(method(Service.class, "charge", String.class)))
                .isEqualTo(Service.class.getName() + "#charge");
    }

    @Test
    void idempotentOverloads_addTheirParameterTypesBySimpleName() throws Exception {
        assertThat(IdempotentMethod.defaultNamespace(method(Service.class, "refund", String.class)))
                .isEqualTo(Service.class.getName() + "#refund(String)");
        assertThat(IdempotentMethod.defaultNamespace(method(Service.class, "refund", String.class, long.class)))
                .isEqualTo(Service.class.getName() + "#refund(String,long)");
    }

    @Test
    void overloadsWhoseSimpleNamesClash_useFullNames() throws Exception {
        String util = IdempotentMethod.defaultNamespace(method(Clashing.class, "send", String.class,
                java.util.Date.class));
        String sql = IdempotentMethod.defaultNamespace(method(Clashing.class, "send", String.class,
                java.sql.Date.class));
        assertThat(util).isEqualTo(Clashing.class.getName() + "#send(java.lang.String,java.util.Date)");
        assertThat(sql).isEqualTo(Clashing.class.getName() + "#send(java.lang.String,java.sql.Date)");
    }

    @Test
    void overloadsWithTheSameKey_neverShareARecord() throws Throwable {
        List<IdempotencyEvent> events = new CopyOnWriteArrayList<>();
        Idempotency.configure(IdempotencyConfig.builder().defaultStore(InMemoryStore.keepingObjects()).listener(events::add)
                .build());
        Service service = new Service();
        AtomicInteger runs = new AtomicInteger();
        IdempotentMethod one = IdempotentMethod.of(method(Service.class, "refund", String.class));
        IdempotentMethod two = IdempotentMethod.of(method(Service.class, "refund", String.class, long.class));

        Object first = one.invoke(new Object[] {"k"}, () -> {
            runs.incrementAndGet();
            return service.refund("k");
        });
        Object second = two.invoke(new Object[] {"k", 5L}, () -> {
            runs.incrementAndGet();
            return service.refund("k", 5L);
        });

        assertThat(first).isEqualTo("refund(String):k");
        assertThat(second).isEqualTo("refund(String,long):k");
        assertThat(runs).hasValue(2);
        assertThat(events).extracting(IdempotencyEvent::namespace).containsExactly(
                Service.class.getName() + "#refund(String)", Service.class.getName() + "#refund(String,long)");
    }
}
