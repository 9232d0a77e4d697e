package dev.idem.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idem.core.IdempotencyConfig;
import dev.idem.core.spi.ClaimResult;
import dev.idem.core.spi.Fingerprint;
import dev.idem.core.spi.Outcome;
import dev.idem.core.spi.StoreKeys;
import dev.idem.core.spi.StoredRecord;
import dev.idem.store.jdbc.testing.Fixture;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a hostile reviewer tries: keys full of braces, colons, percent signs, Unicode and near-duplicates; keys too
 * long for the column or not well-formed; the longest durations; callers whose clocks (and the JVM's time zone) are
 * hours off; a pool with no connection to give. Subclassed per database.
 */
abstract class HostileInputTests {
    protected static Fixture fixture;
    private JdbcIdempotencyStore store;

    @AfterAll
    static void closeFixture() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @BeforeEach
    void open() {
        fixture.clear();
        store = fixture.builder().noSweep().build();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static <T> T get(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private ClaimResult claim(String key, String token, long now) throws Exception {
        return get(store.claim(key, token, Fingerprint.ofHash("p-hash"), now, 60_000));
    }

    @Test
    void keysThatDifferOnlyInCaseSpacesEscapesOrNormalisation_areSeparateRecords() throws Exception {
        List<String> raw = List.of("a", "A", "a ", " a", "a\t", "{x}:%25:%", "%7Bx%7D:%25:%", "é", "e\u0301",
                "ß", "ss", "😀", "\u202Ertl", "k:{}:%:✓:日本", "İ", "i");
        List<String> keys = new ArrayList<>();
        for (String k : raw) {
            keys.add(StoreKeys.of("hostile:", "ns:{x}", k));
        }
        for (int i = 0; i < keys.size(); i++) {
            assertThat(claim(keys.get(i), "t" + i, 0)).as(raw.get(i)).isSameAs(ClaimResult.CLAIMED);
        }
        for (int i = 0; i < keys.size(); i++) {
            StoredRecord record = (StoredRecord) claim(keys.get(i), "other", 0);
            assertThat(record.ownerToken()).as(raw.get(i)).isEqualTo("t" + i);
        }
        assertThat(fixture.count("SELECT count(*) FROM idem_records")).isEqualTo(keys.size());
    }

    @Test
    void aKeyAtTheColumnsLimit_isStored_andOneByteMore_isRefusedClearly_beforeAnySql() throws Exception {
        String atLimit = "é".repeat(JdbcIdempotencyStore.MAX_KEY_BYTES / 2); // 2 bytes each
        assertThat(claim(atLimit, "t1", 0)).isSameAs(ClaimResult.CLAIMED);
        assertThat(((StoredRecord) claim(atLimit, "t2", 0)).ownerToken()).isEqualTo("t1");

        String over = atLimit + "x";
        assertThatThrownBy(() -> claim(over, "t1", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2049 UTF-8 bytes").hasMessageContaining("2048");
        assertThatThrownBy(() -> claim("bad\uD800surrogate", "t1", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lone surrogate");
        assertThat(fixture.count("SELECT count(*) FROM idem_records")).isEqualTo(1);
    }

    @Test
    void theCallersClock_andTheJvmsTimeZone_playNoPart() throws Exception {
        TimeZone original = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati")); // UTC+14
            long now = System.currentTimeMillis();
            assertThat(claim(StoreKeys.of("", "clock", "k"), "t1", now - Duration.ofHours(1).toMillis()))
                    .isSameAs(ClaimResult.CLAIMED);
            // A caller an hour (or years) ahead does not see the 60 s lease as lapsed; one behind does not extend it.
            for (long skewed : new long[] {now + Duration.ofHours(1).toMillis(), now + Duration.ofDays(3650).toMillis(),
                    0, Long.MAX_VALUE, Long.MIN_VALUE}) {
                StoredRecord record = (StoredRecord) claim(StoreKeys.of("", "clock", "k"), "t2", skewed);
                assertThat(record.ownerToken()).isEqualTo("t1");
                assertThat(record.leaseRemainingMillis()).isBetween(1L, 60_000L);
            }
            assertThat(get(store.complete(StoreKeys.of("", "clock", "k"), "t1", Fingerprint.ofHash("p-hash"),
                    Outcome.encodedValue("1".getBytes(StandardCharsets.UTF_8)), Long.MAX_VALUE, 1_000))).isTrue();
            // The ttl of 1 s passes by the database's clock, whatever the callers say.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (claim(StoreKeys.of("", "clock", "k"), "t3", 0) != ClaimResult.CLAIMED) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(50);
            }
        } finally {
            TimeZone.setDefault(original);
        }
    }

    @Test
    void theLongestDurations_andTheSweep_neverReplayAnExpiredRecord() throws Exception {
        long max = IdempotencyConfig.MAX_DURATION.toMillis();
        assertThat(claim(StoreKeys.of("", "long", "k"), "t1", 0)).isSameAs(ClaimResult.CLAIMED);
        assertThat(get(store.complete(StoreKeys.of("", "long", "k"), "t1", Fingerprint.ofHash("p-hash"),
                Outcome.encodedValue(new byte[] {1}), 0, max))).isTrue();
        assertThat(get(store.claim(StoreKeys.of("", "short", "k"), "t1", Fingerprint.ofHash("p-hash"), 0, 1)))
                .isSameAs(ClaimResult.CLAIMED);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (store.sweepExpired() == 0) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(fixture.count("SELECT count(*) FROM idem_records")).as("the 100-year record stays").isEqualTo(1);
        assertThat(((StoredRecord) claim(StoreKeys.of("", "long", "k"), "t2", 0)).isInFlight()).isFalse();
    }

    @Test
    void anExhaustedPool_failsTheStageWithinTheBound_andNothingIsWritten() throws Exception {
        try (var tiny = fixture.server().pool(fixture.database(), 1);
                JdbcIdempotencyStore starved = JdbcIdempotencyStore.builder(tiny).dialect(fixture.dialect())
                        .noSweep().listenNotify(false).timeout(Duration.ofMillis(1500)).build();
                Connection hog = tiny.getConnection()) {
            CompletionStage<ClaimResult> stage = starved.claim(StoreKeys.of("", "pool", "k"), "t1",
                    Fingerprint.ofHash("p-hash"), 0, 60_000);
            assertThatThrownBy(() -> stage.toCompletableFuture().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
            assertThat(hog.isValid(1)).isTrue();
        }
        assertThat(fixture.count("SELECT count(*) FROM idem_records")).isZero();
    }
}
