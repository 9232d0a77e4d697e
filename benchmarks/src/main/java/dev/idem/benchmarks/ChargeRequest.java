package dev.idem.benchmarks;

/**
 * The benchmarks' request: a POJO with strings and numbers and no {@code equals}, as the measurements use.
 */
public final class ChargeRequest {
    private final String id;
    private final long amountCents;
    private final String currency;

    /**
     * A request.
     *
     * @param id the idempotency key
     * @param amountCents the amount
     * @param currency the currency code
     */
    public ChargeRequest(String id, long amountCents, String currency) {
        this.id = id;
        this.amountCents = amountCents;
        this.currency = currency;
    }

    /**
     * The idempotency key.
     *
     * @return the id
     */
    public String getId() {
        return id;
    }

    /**
     * The amount.
     *
     * @return the amount in cents
     */
    public long getAmountCents() {
        return amountCents;
    }

    /**
     * The currency.
     *
     * @return the code
     */
    public String getCurrency() {
        return currency;
    }
}
