package dev.idem.spring.web;

import dev.idem.store.caffeine.CaffeineIdempotencyStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The web behaviour on the in-process store, which keeps the ResponseEntity object itself. */
class CaffeineWebTest extends WebBehaviourSuite {

    @BeforeAll
    static void start() throws Exception {
        startWith(CaffeineIdempotencyStore.create());
    }

    @AfterAll
    static void stop() throws Exception {
        stopServer();
    }
}
