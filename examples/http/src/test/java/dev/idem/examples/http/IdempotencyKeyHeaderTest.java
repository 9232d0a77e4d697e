package dev.idem.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The header rules, including characters an HTTP client will not even send. */
class IdempotencyKeyHeaderTest {

    @Test
    void acceptsBareAndQuotedKeys() {
        assertThat(IdempotencyKeyHeader.parse(List.of("8e03978e-40d5-43e8-bc93-6894a57f9324")).key())
                .isEqualTo("8e03978e-40d5-43e8-bc93-6894a57f9324");
        assertThat(IdempotencyKeyHeader.parse(List.of("\"order 1\"")).key()).isEqualTo("order 1");
        assertThat(IdempotencyKeyHeader.parse(List.of("~!#$%&'()*+,-./:;<=>?@[]^_`{|}")).problem()).isNull();
    }

    @Test
    void rejectsMissingAndMalformedKeys() {
        assertThat(IdempotencyKeyHeader.parse(null).problem().type()).endsWith("idempotency-key-missing");
        assertThat(IdempotencyKeyHeader.parse(List.of()).problem().type()).endsWith("idempotency-key-missing");
        for (String bad : List.of("", " ", "\"\"", "tab\there", "nul\u0000", "del\u007f", "caf\u00e9", "\u20ac",
                "k".repeat(256), "\"a\"b\"", "\"a\\b\"")) {
            IdempotencyKeyHeader.Parsed parsed = IdempotencyKeyHeader.parse(List.of(bad));
            assertThat(parsed.key()).as(bad).isNull();
            assertThat(parsed.problem().type()).as(bad).endsWith("idempotency-key-malformed");
            assertThat(parsed.problem().status()).isEqualTo(400);
        }
        assertThat(IdempotencyKeyHeader.parse(List.of("a", "a")).problem().type())
                .endsWith("idempotency-key-malformed");
    }
}
