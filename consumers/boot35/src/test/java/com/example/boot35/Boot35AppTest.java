package com.example.boot35;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.boot35.PaymentService.PaymentRequest;
import com.example.boot35.PaymentService.Receipt;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idem.core.Idempotency;
import dev.idem.core.IdempotentResult;
import dev.idem.store.redisson.RedissonIdempotencyStore;
import dev.idem.store.redisson.testing.RedisServer;
import java.io.IOException;
import org.aspectj.bridge.Version;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cache.CacheManager;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest
class Boot35AppTest {
    private static final RedisServer REDIS = start();

    @Autowired
    PaymentService payments;
    @Autowired
    RateService rates;
    @Autowired
    CacheManager cacheManager;
    @Autowired
    ObjectMapper objectMapper;

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("app.redis.address", REDIS::address);
    }

    @AfterAll
    static void stopRedis() {
        REDIS.close();
    }

    @Test
    void aFirstCallRuns_aRepeatReplaysFromRedis() throws Exception {
        assertThat(Idempotency.config().defaultStore()).isInstanceOf(RedissonIdempotencyStore.class);

        IdempotentResult<Receipt> first = Idempotency.capture(() -> payments.charge(new PaymentRequest("pay-1", 990)));
        IdempotentResult<Receipt> replay = Idempotency.capture(() -> payments.charge(new PaymentRequest("pay-1", 990)));

        assertThat(first.replayed()).isFalse();
        assertThat(replay.replayed()).isTrue();
        assertThat(replay.value()).isEqualTo(new Receipt("pay-1", 990, 1)).isNotSameAs(first.value());
        assertThat(payments.charges()).isEqualTo(1);
    }

    @Test
    void springCachingStaysOnCaffeine_besideTheRedisStore() {
        assertThat(cacheManager).isInstanceOf(CaffeineCacheManager.class);
        rates.rate("EUR");
        rates.rate("EUR");
        assertThat(rates.lookups()).isEqualTo(1);
    }

    @Test
    void idemRunsOnBootsJacksonAndAspectJ() throws Exception {
        assertThat(com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString())
                .isEqualTo(System.getProperty("expected.jackson.version"));
        assertThat(Version.getText()).isEqualTo(System.getProperty("expected.aspectj.version"));
        assertThat(objectMapper.writeValueAsString(new Receipt("p", 1, 1))).contains("\"paymentId\":\"p\"");
    }

    private static RedisServer start() {
        try {
            return RedisServer.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server", e);
        }
    }
}
