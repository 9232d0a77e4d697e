package dev.idem.store.caffeine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Caffeine's clock for the stores: never ahead of {@code System.nanoTime}, never going back, moved by writes. */
class LaggingTickerTest {

    @Test
    void standsStill_untilAWriteReadsTheClock_thenIsThere() {
        LaggingTicker ticker = new LaggingTicker();
        long start = ticker.read();
        long bound = start + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() - start <= 0 && System.nanoTime() - bound < 0) {
            Thread.onSpinWait(); // until the clock has moved past the ticker's reading
        }
        assertThat(System.nanoTime() - start).as("the clock moved").isPositive();
        assertThat(ticker.read()).as("reads do not move it").isEqualTo(start);

        long now = ticker.now();

        assertThat(now - start).isPositive();
        assertThat(ticker.read()).isEqualTo(now);
    }

    @Test
    void underConcurrentWrites_neverGoesBack_andIsNeverAheadOfTheClock() throws Exception {
        LaggingTicker ticker = new LaggingTicker();
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                running.add(writers.submit(() -> {
                    while (System.nanoTime() - until < 0) {
                        ticker.now();
                    }
                }));
            }
            long previous = ticker.read();
            long reads = 0;
            while (System.nanoTime() - until < 0) {
                long read = ticker.read();
                long clock = System.nanoTime();
                assertThat(read - previous).as("monotonic").isGreaterThanOrEqualTo(0);
                assertThat(clock - read).as("not ahead of nanoTime").isGreaterThanOrEqualTo(0);
                previous = read;
                reads++;
            }
            for (Future<?> writer : running) {
                writer.get(10, TimeUnit.SECONDS);
            }
            assertThat(reads).isPositive();
        } finally {
            writers.shutdownNow();
        }
    }
}
