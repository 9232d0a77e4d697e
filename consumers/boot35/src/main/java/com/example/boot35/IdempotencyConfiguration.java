package com.example.boot35;

import dev.idem.core.IdempotencyConfig;
import dev.idem.spring.IdempotentSpringAspect;
import dev.idem.store.redisson.RedissonIdempotencyStore;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Spring set-up of docs/weaving.md, with the Redis store. */
@Configuration
class IdempotencyConfiguration {

    @Bean(destroyMethod = "shutdown")
    RedissonClient redisson(@Value("${app.redis.address}") String address) {
        Config config = new Config();
        config.useSingleServer().setAddress(address);
        return Redisson.create(config);
    }

    @Bean
    IdempotentSpringAspect idempotentSpringAspect(RedissonClient redisson) {
        return new IdempotentSpringAspect(IdempotencyConfig.builder()
                .defaultStore(RedissonIdempotencyStore.create(redisson))
                .keyPrefix("boot35:")
                .build());
    }
}
