package com.example.boot40;

import javax.cache.configuration.MutableConfiguration;
import org.springframework.boot.cache.autoconfigure.JCacheManagerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Creates the JCache caches the application uses, as Spring PetClinic does. */
@Configuration
class CacheConfiguration {

    @Bean
    JCacheManagerCustomizer rateCache() {
        return cacheManager -> cacheManager.createCache("rates",
                new MutableConfiguration<Object, Object>().setStatisticsEnabled(true));
    }
}
