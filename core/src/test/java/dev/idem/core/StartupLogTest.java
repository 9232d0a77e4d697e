package dev.idem.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.annotation.Idempotent;
import dev.idem.core.testing.InMemoryStore;
import dev.idem.core.weaving.IdempotentMethod;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Nothing is decided silently: a configuration made in code says which {@code idem.*} settings it ignores, and each
 * method says once which store it uses. (The {@code dev.idem} System.Logger goes to java.util.logging here.)
 */
class StartupLogTest {
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger("dev.idem");
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void capture() {
        logger.addHandler(handler);
    }

    @AfterEach
    void release() {
        logger.removeHandler(handler);
        System.clearProperty("idem.store");
        System.clearProperty("idem.keyPrefix");
        Idempotency.reset();
    }

    private List<String> messages(Level level) {
        return records.stream().filter(r -> r.getLevel().equals(level))
                .map(r -> new java.util.logging.SimpleFormatter().formatMessage(r)).toList();
    }

    @Test
    void aConfigurationMadeInCode_warnsAboutTheSettingsItIgnores() {
        System.setProperty("idem.store", "redisson");
        System.setProperty("idem.keyPrefix", "app");
        Idempotency.configure(IdempotencyConfig.builder().defaultStore(InMemoryStore.keepingObjects()).build());
        assertThat(messages(Level.WARNING)).singleElement().asString()
                .contains("[idem.keyPrefix, idem.store]").contains("are ignored")
                .contains("IdempotencyConfig.fromSettings");
    }

    @Test
    void aConfigurationFromTheSettings_orWithoutAny_warnsNothing() {
        Idempotency.configure(IdempotencyConfig.builder().defaultStore(InMemoryStore.keepingObjects()).build());
        System.setProperty("idem.keyPrefix", "app");
        Idempotency.configure(IdempotencyConfig.fromSettings(Map.of("idem.keyPrefix", "app")).toBuilder()
                .defaultStore(InMemoryStore.keepingObjects()).build());
        assertThat(messages(Level.WARNING)).isEmpty();
    }

    static class Service {
        @Idempotent(key = "#id")
        public String charge(String id) {
            return id;
        }

        @Idempotent(key = "#id", store = "audit")
        public String audit(String id) {
            return id;
        }
    }

    @Test
    void eachMethod_saysOnceWhichStoreItUses() throws Throwable {
        InMemoryStore store = InMemoryStore.encoding();
        Idempotency.configure(IdempotencyConfig.builder().defaultStore(InMemoryStore.keepingObjects())
                .store("audit", store).build());
        IdempotentMethod charge = IdempotentMethod.of(Service.class.getDeclaredMethod("charge", String.class));
        IdempotentMethod audit = IdempotentMethod.of(Service.class.getDeclaredMethod("audit", String.class));
        for (int i = 0; i < 3; i++) {
            charge.invoke(new Object[] {"k" + i}, () -> "r");
            audit.invoke(new Object[] {"k" + i}, () -> "r");
        }
        assertThat(messages(Level.INFO)).containsExactly(
                Service.class.getName() + "#charge uses the default idempotency store ("
                        + InMemoryStore.class.getName() + ", local)",
                Service.class.getName() + "#audit uses the audit idempotency store ("
                        + InMemoryStore.class.getName() + ", shared)");
    }
}
