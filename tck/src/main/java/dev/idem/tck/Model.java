package dev.idem.tck;

import java.math.BigDecimal;
import java.util.Objects;

/** The values the suite's services take and return; public so that codecs and the engine can reach them. */
public final class Model {
    private Model() {
    }

    /** A request: a deeply immutable record, compared on replay with equals. */
    /**
     * @param id the idempotency key
     * @param amount the amount
     */
    public record ChargeRequest(String id, BigDecimal amount) {
    }

    /** A result; {@code serial} tells a replay (same serial) from a second run (new serial). */
    /**
     * @param id the request id
     * @param amount the amount
     * @param serial the run that made it
     */
    public record Receipt(String id, BigDecimal amount, long serial) {
    }

    /** An order, for the return type tests. */
    /**
     * @param id the id
     * @param quantity the quantity
     */
    public record Order(String id, int quantity) {
    }

    /** A mutable DTO without equals: compared on replay by its canonical form. */
    public static final class ChargeForm {
        String id;
        BigDecimal amount;

        /**
         * @param id the idempotency key
         * @param amount the amount
         */
        public ChargeForm(String id, BigDecimal amount) {
            this.id = id;
            this.amount = amount;
        }

        /** @return the id */
        public String getId() {
            return id;
        }
    }

    /**
     * A payload whose accessor masks a field, as a DTO that hides a card number from logs does: two cards with
     * different numbers must never match, whatever the accessor says.
     *
     * @param id the idempotency key
     * @param number the card number
     */
    public record MaskedCard(String id, String number) {
        /** @return the masked number */
        @Override
        public String number() {
            return "****";
        }
    }

    /** A value no JSON codec can write (no properties) or read (no creator). */
    public static final class Opaque {
        private final transient Object secret;

        /** @param secret anything */
        public Opaque(Object secret) {
            this.secret = Objects.requireNonNull(secret);
        }

        /** @return the secret */
        public Object secret() {
            return secret;
        }
    }

    /** A business failure that methods record and replay. */
    public static final class PaymentDeclinedException extends Exception {
        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param message why
         */
        public PaymentDeclinedException(String message) {
            super(message);
        }
    }
}
