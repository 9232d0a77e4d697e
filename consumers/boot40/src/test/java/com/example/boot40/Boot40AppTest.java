package com.example.boot40;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.boot40.PaymentService.PaymentRequest;
import com.example.boot40.PaymentService.Receipt;
import com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider;
import dev.idem.core.Idempotency;
import dev.idem.core.IdempotentResult;
import dev.idem.store.redisson.RedissonIdempotencyStore;
import dev.idem.store.redisson.testing.RedisServer;
import java.io.IOException;
import java.util.stream.StreamSupport;
import javax.cache.Caching;
import org.aspectj.bridge.Version;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.redisson.jcache.JCachingProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cache.CacheManager;
import org.springframework.cache.jcache.JCacheCacheManager;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest
class Boot40AppTest {
    private static final RedisServer REDIS = start();

    @Autowired
    PaymentService payments;
    @Autowired
    RateService rates;
    @Autowired
    CacheManager cacheManager;
    @Autowired
    JsonMapper jsonMapper;

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
    void springsJCacheRunsOnCaffeinesProvider_besideRedissonsOwn() {
        // Redisson's provider is registered too: the reason for spring.cache.jcache.provider
        assertThat(StreamSupport.stream(Caching.getCachingProviders().spliterator(), false))
                .anyMatch(provider -> provider instanceof JCachingProvider)
                .anyMatch(provider -> provider instanceof CaffeineCachingProvider);
        assertThat(cacheManager).isInstanceOf(JCacheCacheManager.class);
        assertThat(((JCacheCacheManager) cacheManager).getCacheManager().getCachingProvider())
                .isInstanceOf(CaffeineCachingProvider.class);
        assertThat(cacheManager.getCacheNames()).contains("rates");

        rates.rate("EUR");
        rates.rate("EUR");
        assertThat(rates.lookups()).isEqualTo(1);
    }

    @Test
    void bootsJackson3BesideIdemsJackson2_andBootsAspectJ() {
        assertThat(jsonMapper.writeValueAsString(new Receipt("p", 1, 1))).contains("\"paymentId\":\"p\"");
        assertThat(tools.jackson.databind.cfg.PackageVersion.VERSION.getMajorVersion()).isEqualTo(3);
        assertThat(com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString())
                .isEqualTo(System.getProperty("expected.jackson2.version"));
        assertThat(Version.getText()).isEqualTo(System.getProperty("expected.aspectj.version"));
    }

    private static RedisServer start() {
        try {
            return RedisServer.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server", e);
        }
    }
}
