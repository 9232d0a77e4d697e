package dev.idem.store.redisson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idem.store.redisson.testing.RedisServerExtension;
import dev.idem.store.redisson.testing.RespConnection;
import java.io.IOException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scripts check their durations themselves, before their first write, whoever calls them: a lease or ttl that is
 * not a whole number of milliseconds from 1 to MAX_DURATION is refused and leaves no record (a record written before
 * a failing {@code PEXPIRE} would never expire).
 */
class LuaDurationCheckTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "0", "-1", "0.0001", "nan", "inf", "1e400", "", "3153600000001"})
    void aClaimWithABadLease_isRefusedAndWritesNothing(String lease) throws IOException {
        try (RespConnection redis = REDIS.server().connect()) {
            redis.command("FLUSHALL");
            assertThatThrownBy(() -> redis.command("EVAL", RedisScripts.CLAIM.text(), "1", "{k}", "token", "fp", lease))
                    .hasMessageContaining("invalid lease");
            assertThat(redis.command("EXISTS", "{k}")).isEqualTo(0L);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"60000", "3153600000000"})
    void aClaimWithAGoodLease_expires(String lease) throws IOException {
        try (RespConnection redis = REDIS.server().connect()) {
            redis.command("FLUSHALL");
            redis.command("EVAL", RedisScripts.CLAIM.text(), "1", "{k}", "token", "fp", lease);
            assertThat((Long) redis.command("PTTL", "{k}")).as("a record always has an expiry").isGreaterThan(-1L);
        }
    }
}
