package dev.idem.tck;

import dev.idem.tck.Model.ChargeForm;
import dev.idem.tck.Model.ChargeRequest;
import dev.idem.tck.Model.MaskedCard;
import dev.idem.tck.Model.Opaque;
import dev.idem.tck.Model.Order;
import dev.idem.tck.Model.PaymentDeclinedException;
import dev.idem.tck.Model.Receipt;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The service the suite calls, implemented twice with the same settings: by woven {@code @Idempotent} methods and by
 * programmatic operations. Unless noted, the key is the request id and the payload the whole request.
 */
interface Payments {
    /** Default settings but a 1h ttl, 30s lease and 5s wait. Namespace {@code tck.charge}. */
    Receipt charge(ChargeRequest request) throws Exception;

    /** {@code onInFlight = REJECT}. */
    Receipt chargeOrReject(ChargeRequest request) throws Exception;

    /** {@code waitTimeout = 300ms}. */
    Receipt chargeShortWait(ChargeRequest request) throws Exception;

    /** Replays {@link PaymentDeclinedException}. */
    Receipt chargeDeclinable(ChargeRequest request) throws Exception;

    /** {@code onStoreError = PROCEED}. */
    Receipt chargeProceed(ChargeRequest request) throws Exception;

    /** {@code keyRequired = false}. */
    Receipt chargeOptionalKey(ChargeRequest request) throws Exception;

    /** {@code fingerprint = none}. */
    Receipt chargeAnyPayload(ChargeRequest request) throws Exception;

    /** The payload is the amount only. */
    Receipt chargeSameAmount(ChargeRequest request) throws Exception;

    /** A key scoped to a tenant: {@code tenant + ':' + request.id}. */
    Receipt chargeForTenant(String tenant, ChargeRequest request) throws Exception;

    /** A mutable DTO without equals as payload. */
    Receipt chargeForm(ChargeForm form) throws Exception;

    /** Returns {@code List<Order>}. */
    List<Order> orders(String orderId) throws Exception;

    /** Returns {@code Optional<Order>}, empty for ids starting with "none". */
    Optional<Order> findOrder(String orderId) throws Exception;

    /** Returns nothing. */
    void touch(String orderId) throws Exception;

    /** Returns null. */
    Order nothing(String orderId) throws Exception;

    /** Returns a value no codec can handle. */
    Opaque opaque(String orderId) throws Exception;

    /** Completes asynchronously with the future the test supplies. */
    CompletableFuture<Order> async(String orderId, CompletableFuture<Order> result) throws Exception;

    /** A 2s lease (renewed every 666 ms while the body runs). Namespace {@code tck.chargeShortLease}. */
    Receipt chargeShortLease(ChargeRequest request) throws Exception;

    /** A 2s ttl, for stores that judge time by their own clock. Namespace {@code tck.chargeShortTtl}. */
    Receipt chargeShortTtl(ChargeRequest request) throws Exception;

    /** The payload is a card whose accessor masks its number. */
    Receipt chargeCard(MaskedCard card) throws Exception;

    /** Calls itself once more with the same key from inside its body (re-entrancy); the inner call's outcome is
     * returned. */
    Receipt reenter(ChargeRequest request) throws Exception;

    /** Declared to return {@code Object} (as a type variable erases to), returning a {@link Receipt}. */
    Object untyped(String id) throws Exception;

    /** The concurrency workload: returns a fresh serial per run. */
    String work(String key) throws Exception;
}
