package dev.idem.tck;

import dev.idem.core.spi.IdempotencyStore;
import dev.idem.testing.InMemoryIdempotencyStore;

/** The test-support store, through the whole behaviour suite: what users' tests get is what production stores do. */
class InMemoryStoreBehaviourTest extends IdempotencyBehaviourSuite {

    @Override
    protected IdempotencyStore createStore() {
        return InMemoryIdempotencyStore.create();
    }
}
