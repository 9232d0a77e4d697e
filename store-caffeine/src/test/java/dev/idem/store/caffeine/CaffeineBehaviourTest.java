package dev.idem.store.caffeine;

import dev.idem.core.spi.IdempotencyStore;
import dev.idem.tck.IdempotencyBehaviourSuite;

/** The whole behaviour suite, through the aspect and the programmatic API, on the Caffeine store. */
class CaffeineBehaviourTest extends IdempotencyBehaviourSuite {
    @Override
    protected IdempotencyStore createStore() {
        return CaffeineIdempotencyStore.create();
    }
}
