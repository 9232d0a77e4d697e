package com.example.payments;

public record Receipt(String paymentId, long amountCents, int chargeNumber) {
}
