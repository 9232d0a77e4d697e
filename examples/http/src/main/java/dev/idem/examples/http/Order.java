package dev.idem.examples.http;

import java.time.Instant;

/**
 * A created order, the outcome idem records and replays. Its id comes from a counter, so the number of orders created
 * is the highest id.
 *
 * @param id the order's id, 1, 2, 3, ...
 * @param item what was ordered
 * @param quantity how many
 * @param createdAt when the order was created (a replay shows the first call's time)
 */
public record Order(long id, String item, int quantity, Instant createdAt) {
}
