package dev.idem.examples.springboot;

import java.time.Instant;

/**
 * A payment as {@code POST /payments} returns it.
 *
 * @param id unique per payment really made, so a replay is easy to recognise
 * @param amountCents the amount, in the currency's minor unit
 * @param currency the ISO 4217 currency code
 * @param description the payer's text
 * @param createdAt when the payment was made
 */
public record Payment(String id, long amountCents, String currency, String description, Instant createdAt) {
}
