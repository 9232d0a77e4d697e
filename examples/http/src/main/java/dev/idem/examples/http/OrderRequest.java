package dev.idem.examples.http;

/**
 * The body of {@code POST /orders}: {@code {"item": "book", "quantity": 2}}. It is also the payload idem compares on
 * a replay: a record compares by value, so a retry with an equal body replays and a different body is a key reuse.
 *
 * @param item what to order, not blank
 * @param quantity how many, at least 1
 */
public record OrderRequest(String item, int quantity) {

    /**
     * Why this request cannot be an order, or null if it can.
     *
     * @return the reason, or null
     */
    String problem() {
        if (item == null || item.isBlank()) {
            return "\"item\" is missing or blank";
        }
        if (quantity < 1) {
            return "\"quantity\" must be at least 1, was " + quantity;
        }
        return null;
    }
}
