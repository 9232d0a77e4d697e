package com.example.ltw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotentResult;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** Runs in a JVM started with -javaagent:aspectjweaver.jar: OrderService is woven as it loads. */
class LoadTimeWeavingTest {

    @Test
    void theJvmRunsWithTheWeaverAgent() {
        assertTrue(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(argument -> argument.startsWith("-javaagent:") && argument.contains("aspectjweaver")));
    }

    @Test
    void aFirstCallRuns_aRepeatReplays() throws Exception {
        OrderService orders = new OrderService();

        IdempotentResult<String> first = Idempotency.capture(() -> orders.place("order-1", 2));
        IdempotentResult<String> replay = Idempotency.capture(() -> orders.place("order-1", 2));

        assertFalse(first.replayed());
        assertTrue(replay.replayed(), "woven: the repeat is a replay");
        assertEquals("order-1 x2 #1", replay.value());
        assertEquals(1, orders.placed());
    }
}
