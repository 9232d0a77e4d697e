package dev.idem.tck;

import dev.idem.annotation.OnInFlight;
import dev.idem.annotation.OnStoreError;
import dev.idem.core.Idempotency;
import dev.idem.core.IdempotentOperation;
import dev.idem.core.TypeRef;
import dev.idem.tck.Model.ChargeForm;
import dev.idem.tck.Model.ChargeRequest;
import dev.idem.tck.Model.MaskedCard;
import dev.idem.tck.Model.Opaque;
import dev.idem.tck.Model.Order;
import dev.idem.tck.Model.PaymentDeclinedException;
import dev.idem.tck.Model.Receipt;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** {@link Payments} through the programmatic API, with the same settings as {@link WovenPayments}. */
class ProgrammaticPayments implements Payments {
    private final Body body;

    private final IdempotentOperation<Receipt> charge = Idempotency.operation("tck.charge", Receipt.class)
            .ttl(Duration.ofHours(1)).lease(Duration.ofSeconds(30)).waitTimeout(Duration.ofSeconds(5)).build();
    private final IdempotentOperation<Receipt> chargeOrReject = Idempotency
            .operation("tck.chargeOrReject", Receipt.class).onInFlight(OnInFlight.REJECT).build();
    private final IdempotentOperation<Receipt> chargeShortWait = Idempotency
            .operation("tck.chargeShortWait", Receipt.class).waitTimeout(Duration.ofMillis(300)).build();
    private final IdempotentOperation<Receipt> chargeDeclinable = Idempotency
            .operation("tck.chargeDeclinable", Receipt.class).replayFailures(PaymentDeclinedException.class).build();
    private final IdempotentOperation<Receipt> chargeProceed = Idempotency
            .operation("tck.chargeProceed", Receipt.class).onStoreError(OnStoreError.PROCEED).build();
    private final IdempotentOperation<Receipt> chargeOptionalKey = Idempotency
            .operation("tck.chargeOptionalKey", Receipt.class).keyRequired(false).build();
    private final IdempotentOperation<Receipt> chargeAnyPayload = Idempotency
            .operation("tck.chargeAnyPayload", Receipt.class).checkPayload(false).build();
    private final IdempotentOperation<Receipt> chargeSameAmount = Idempotency
            .operation("tck.chargeSameAmount", Receipt.class).build();
    private final IdempotentOperation<Receipt> chargeForTenant = Idempotency
            .operation("tck.chargeForTenant", Receipt.class).build();
    private final IdempotentOperation<Receipt> chargeForm = Idempotency
            .operation("tck.chargeForm", Receipt.class).build();
    private final IdempotentOperation<List<Order>> orders = Idempotency
            .operation("tck.orders", new TypeRef<List<Order>>() { }).build();
    private final IdempotentOperation<Optional<Order>> findOrder = Idempotency
            .operation("tck.findOrder", new TypeRef<Optional<Order>>() { }).build();
    private final IdempotentOperation<Void> touch = Idempotency.operation("tck.touch", Void.class).build();
    private final IdempotentOperation<Order> nothing = Idempotency.operation("tck.nothing", Order.class).build();
    private final IdempotentOperation<Opaque> opaque = Idempotency.operation("tck.opaque", Opaque.class).build();
    private final IdempotentOperation<Order> async = Idempotency.operation("tck.async", Order.class).build();
    private final IdempotentOperation<Receipt> chargeShortLease = Idempotency
            .operation("tck.chargeShortLease", Receipt.class).lease(Duration.ofSeconds(2)).build();
    private final IdempotentOperation<Receipt> chargeShortTtl = Idempotency
            .operation("tck.chargeShortTtl", Receipt.class).ttl(Duration.ofSeconds(2)).build();
    private final IdempotentOperation<Receipt> chargeCard = Idempotency
            .operation("tck.chargeCard", Receipt.class).build();
    private final IdempotentOperation<Receipt> reenter = Idempotency
            .operation("tck.reenter", Receipt.class).build();
    private final IdempotentOperation<Object> untyped = Idempotency.operation("tck.untyped", Object.class).build();
    private final IdempotentOperation<String> work = Idempotency.operation("tck.work", String.class).build();

    ProgrammaticPayments(Body body) {
        this.body = body;
    }

    private static String id(ChargeRequest request) {
        return request == null ? null : request.id();
    }

    @Override
    public Receipt charge(ChargeRequest request) throws Exception {
        return charge.executeChecked(id(request), request, () -> body.receipt(request));
    }

    @Override
    public Receipt chargeOrReject(ChargeRequest request) throws Exception {
        return chargeOrReject.executeChecked(id(request), request, () -> body.receipt(request));
    }

    @Override
    public Receipt chargeShortWait(ChargeRequest request) throws Exception {
        return chargeShortWait.executeChecked(id(request), request, () -> body.receipt(request));
    }

    @Override
    public Receipt chargeDeclinable(ChargeRequest request) throws Exception {
        return chargeDeclinable.executeChecked(id(request), request, () -> body.receipt(request));
    }

    @Override
    public Receipt chargeProceed(ChargeRequest request) throws Exception {
        return chargeProceed.executeChecked(id(request), request, () -> body.receipt(request));
    }

    @Override
    public Receipt chargeOptionalKey(ChargeRequest request) throws Exception {
        return chargeOptionalKey.executeChecked(id(request), request, () -> body.receipt(request));
    }

    @Override
    public Receipt chargeAnyPayload(ChargeRequest request) throws Exception {
        return chargeAnyPayload.executeChecked(id(request), request, () -> body.receipt(request));
    }

    @Override
    public Receipt chargeSameAmount(ChargeRequest request) throws Exception {
        return chargeSameAmount.executeChecked(id(request), request.amount(), () -> body.receipt(request));
    }

    @Override
    public Receipt chargeForTenant(String tenant, ChargeRequest request) throws Exception {
        String key = tenant == null || request == null || request.id() == null ? null : tenant + ":" + request.id();
        return chargeForTenant.executeChecked(key, request, () -> body.receipt(request));
    }

    @Override
    public Receipt chargeForm(ChargeForm form) throws Exception {
        return chargeForm.executeChecked(form.getId(), form, () -> {
            body.run(form.getId());
            return new Receipt(form.getId(), form.amount, body.nextSerial());
        });
    }

    @Override
    public List<Order> orders(String orderId) throws Exception {
        return orders.executeChecked(orderId, orderId, () -> {
            body.run(orderId);
            return List.of(new Order(orderId, 1), new Order(orderId + "-2", 2));
        });
    }

    @Override
    public Optional<Order> findOrder(String orderId) throws Exception {
        return findOrder.executeChecked(orderId, orderId, () -> {
            body.run(orderId);
            return orderId.startsWith("none") ? Optional.empty() : Optional.of(new Order(orderId, 3));
        });
    }

    @Override
    public void touch(String orderId) throws Exception {
        touch.executeChecked(orderId, orderId, () -> {
            body.run(orderId);
            return null;
        });
    }

    @Override
    public Order nothing(String orderId) throws Exception {
        return nothing.executeChecked(orderId, orderId, () -> {
            body.run(orderId);
            return null;
        });
    }

    @Override
    public Opaque opaque(String orderId) throws Exception {
        return opaque.executeChecked(orderId, orderId, () -> {
            body.run(orderId);
            return new Opaque(new Object());
        });
    }

    @Override
    public CompletableFuture<Order> async(String orderId, CompletableFuture<Order> result) throws Exception {
        return async.executeAsync(orderId, orderId, () -> {
            try {
                body.run(orderId);
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
            return result;
        });
    }

    @Override
    public String work(String key) throws Exception {
        return work.executeChecked(key, key, () -> {
            body.run(key);
            return key + "#" + body.nextSerial();
        });
    }

    @Override
    public Receipt chargeShortLease(ChargeRequest request) throws Exception {
        return chargeShortLease.executeChecked(id(request), request, () -> body.receipt(request));
    }

    @Override
    public Receipt chargeShortTtl(ChargeRequest request) throws Exception {
        return chargeShortTtl.executeChecked(id(request), request, () -> body.receipt(request));
    }

    @Override
    public Receipt chargeCard(MaskedCard card) throws Exception {
        return chargeCard.executeChecked(card.id(), card, () -> {
            body.run(card.id());
            return new Receipt(card.id(), java.math.BigDecimal.ONE, body.nextSerial());
        });
    }

    @Override
    public Receipt reenter(ChargeRequest request) throws Exception {
        return reenter.executeChecked(id(request), request, () -> {
            body.run(request.id());
            return reenter(request);
        });
    }

    @Override
    public Object untyped(String id) throws Exception {
        return untyped.executeChecked(id, id, () -> {
            body.run(id);
            return new Receipt(id, java.math.BigDecimal.TEN, body.nextSerial());
        });
    }
}
