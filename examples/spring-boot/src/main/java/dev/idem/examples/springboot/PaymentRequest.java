package dev.idem.examples.springboot;

/**
 * The body of {@code POST /payments}. On a retry it must equal the first request's body, or the request is refused
 * with 422.
 *
 * @param amountCents the amount, in the currency's minor unit
 * @param currency the ISO 4217 currency code, for example {@code EUR}
 * @param description free text shown to the payer
 */
public record PaymentRequest(long amountCents, String currency, String description) {
}
