package dev.idem.benchmarks;

/**
 * The benchmarks' result.
 *
 * @param id the request's id
 * @param amountCents the amount charged
 */
public record Receipt(String id, long amountCents) {
    /**
     * The receipt for a request: the "body" every benchmark runs.
     *
     * @param request the request
     * @return its receipt
     */
    public static Receipt of(ChargeRequest request) {
        return new Receipt(request.getId(), request.getAmountCents());
    }
}
