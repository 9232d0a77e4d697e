package dev.idem.tck;

import dev.idem.annotation.Idempotent;
import dev.idem.annotation.OnInFlight;
import dev.idem.annotation.OnStoreError;
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

/** {@link Payments} through {@code @Idempotent} methods, woven at compile time by this module's build. */
class WovenPayments implements Payments {
    private final Body body;

    WovenPayments(Body body) {
        this.body = body;
    }

    @Override
    @Idempotent(key = "#request.id", namespace = "tck.charge", ttl = "1h", lease = "30s", waitTimeout = "5s")
    public Receipt charge(ChargeRequest request) throws Exception {
        return body.receipt(request);
    }

    @Override
    @Idempotent(key = "#request.id", namespace = "tck.chargeOrReject", onInFlight = OnInFlight.REJECT)
    public Receipt chargeOrReject(ChargeRequest request) throws Exception {
        return body.receipt(request);
    }

    @Override
    @Idempotent(key = "#request.id", namespace = "tck.chargeShortWait", waitTimeout = "300ms")
    public Receipt chargeShortWait(ChargeRequest request) throws Exception {
        return body.receipt(request);
    }

    @Override
    @Idempotent(key = "#request.id", namespace = "tck.chargeDeclinable",
            replayFailures = PaymentDeclinedException.class)
    public Receipt chargeDeclinable(ChargeRequest request) throws Exception {
        return body.receipt(request);
    }

    @Override
    @Idempotent(key = "#request.id", namespace = "tck.chargeProceed", onStoreError = OnStoreError.PROCEED)
    public Receipt chargeProceed(ChargeRequest request) throws Exception {
        return body.receipt(request);
    }

    @Override
    @Idempotent(key = "#request.id", namespace = "tck.chargeOptionalKey", keyRequired = false)
    public Receipt chargeOptionalKey(ChargeRequest request) throws Exception {
        return body.receipt(request);
    }

    @Override
    @Idempotent(key = "#request.id", namespace = "tck.chargeAnyPayload", fingerprint = "none")
    public Receipt chargeAnyPayload(ChargeRequest request) throws Exception {
        return body.receipt(request);
    }

    @Override
    @Idempotent(key = "#request.id", namespace = "tck.chargeSameAmount", fingerprint = "#request.amount")
    public Receipt chargeSameAmount(ChargeRequest request) throws Exception {
        return body.receipt(request);
    }

    @Override
    @Idempotent(key = "#tenant + ':' + #request.id", namespace = "tck.chargeForTenant")
    public Receipt chargeForTenant(String tenant, ChargeRequest request) throws Exception {
        return body.receipt(request);
    }

    @Override
    @Idempotent(key = "#form.id", namespace = "tck.chargeForm")
    public Receipt chargeForm(ChargeForm form) throws Exception {
        body.run(form.getId());
        return new Receipt(form.getId(), form.amount, body.nextSerial());
    }

    @Override
    @Idempotent(key = "#orderId", namespace = "tck.orders")
    public List<Order> orders(String orderId) throws Exception {
        body.run(orderId);
        return List.of(new Order(orderId, 1), new Order(orderId + "-2", 2));
    }

    @Override
    @Idempotent(key = "#orderId", namespace = "tck.findOrder")
    public Optional<Order> findOrder(String orderId) throws Exception {
        body.run(orderId);
        return orderId.startsWith("none") ? Optional.empty() : Optional.of(new Order(orderId, 3));
    }

    @Override
    @Idempotent(key = "#orderId", namespace = "tck.touch")
    public void touch(String orderId) throws Exception {
        body.run(orderId);
    }

    @Override
    @Idempotent(key = "#orderId", namespace = "tck.nothing")
    public Order nothing(String orderId) throws Exception {
        body.run(orderId);
        return null;
    }

    @Override
    @Idempotent(key = "#orderId", namespace = "tck.opaque")
    public Opaque opaque(String orderId) throws Exception {
        body.run(orderId);
        return new Opaque(new Object());
    }

    @Override
    @Idempotent(key = "#orderId", namespace = "tck.async", fingerprint = "#orderId")
    public CompletableFuture<Order> async(String orderId, CompletableFuture<Order> result) throws Exception {
        body.run(orderId);
        return result;
    }

    @Override
    @Idempotent(key = "#request.id", namespace = "tck.chargeShortLease", lease = "2s")
    public Receipt chargeShortLease(ChargeRequest request) throws Exception {
        return body.receipt(request);
    }

    @Override
    @Idempotent(key = "#request.id", namespace = "tck.chargeShortTtl", ttl = "2s")
    public Receipt chargeShortTtl(ChargeRequest request) throws Exception {
        return body.receipt(request);
    }

    @Override
    @Idempotent(key = "#card.id", namespace = "tck.chargeCard")
    public Receipt chargeCard(MaskedCard card) throws Exception {
        body.run(card.id());
        return new Receipt(card.id(), java.math.BigDecimal.ONE, body.nextSerial());
    }

    @Override
    @Idempotent(key = "#request.id", namespace = "tck.reenter")
    public Receipt reenter(ChargeRequest request) throws Exception {
        body.run(request.id());
        return reenter(request); // woven: the call goes through the aspect again, with the same key
    }

    @Override
    @Idempotent(key = "#id", namespace = "tck.untyped")
    public Object untyped(String id) throws Exception {
        body.run(id);
        return new Receipt(id, java.math.BigDecimal.TEN, body.nextSerial());
    }

    @Override
    @Idempotent(key = "#key", namespace = "tck.work")
    public String work(String key) throws Exception {
        body.run(key);
        return key + "#" + body.nextSerial();
    }
}
