package dev.idem.micrometer;

import dev.idem.core.spi.IdempotencyStore;
import dev.idem.store.caffeine.CaffeineIdempotencyStore;
import java.time.Duration;

/**
 * The listener on the Caffeine store: leases lapse by the engine's clock (the test moves it), and the store breaks
 * by failing every operation (an in-process store cannot be stopped).
 */
class CaffeineMicrometerListenerTest extends MicrometerListenerSuite {

    @Override
    protected String storeName() {
        return "caffeine";
    }

    @Override
    protected IdempotencyStore createStore() {
        return CaffeineIdempotencyStore.create();
    }

    @Override
    protected void breakStore() {
        store.failEverything();
    }

    @Override
    protected void lapse(long leaseMillis) {
        clock.advance(Duration.ofMillis(leaseMillis + 1));
    }
}
