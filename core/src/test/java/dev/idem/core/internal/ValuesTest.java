package dev.idem.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.Year;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fast path of the local store ({@link Values#valueEquals}) must never call two payloads equal whose canonical
 * forms differ. Fails on 11eb31c: records were compared through their accessors, so a record whose accessor masks
 * a field equalled a record with another value in that field.
 */
class ValuesTest {

    /** An accessor that masks its field, as a DTO that must not leak a card number in logs might. */
    record Card(String number, int expiry) {
        @Override
        public String number() {
            return "****";
        }
    }

    /** An accessor that normalizes its field. */
    record Email(String address) {
        @Override
        public String address() {
            return address.toLowerCase(Locale.ROOT);
        }
    }

    record Wrapper(Card card) {
    }

    enum Operation {
        DEBIT {
            @Override
            int sign() {
                return -1;
            }
        },
        CREDIT {
            @Override
            int sign() {
                return 1;
            }
        };

        abstract int sign();
    }

    private static void assertAgreesWithCanonical(Object recorded, Object candidate) {
        assertThat(Values.isDeeplyImmutable(recorded)).as("deeply immutable: %s", recorded).isTrue();
        boolean equal = Values.valueEquals(recorded, candidate);
        if (equal) {
            assertThat(Canonical.hash(candidate)).as("hash of %s, equal by value to %s", candidate, recorded)
                    .isEqualTo(Canonical.hash(recorded));
        }
    }

    @Test
    void valueEquals_ofRecordsWhoseAccessorMasksDifferentFieldsIsFalse() {
        Card recorded = new Card("4111111111111111", 1228);
        Card candidate = new Card("5555555555554444", 1228);
        assertThat(recorded.number()).isEqualTo(candidate.number());
        assertThat(Canonical.hash(recorded)).isNotEqualTo(Canonical.hash(candidate));
        assertThat(Values.valueEquals(recorded, candidate)).isFalse();
        assertThat(Values.valueEquals(new Wrapper(recorded), new Wrapper(candidate))).isFalse();
        assertThat(Values.valueEquals(new Object[] {recorded}, new Object[] {candidate})).isFalse();
    }

    @Test
    void valueEquals_ofRecordsWithEqualFieldsIsTrueWhateverTheAccessorReturns() {
        assertThat(Values.valueEquals(new Card("4111", 1228), new Card("4111", 1228))).isTrue();
        assertThat(Values.valueEquals(new Email("A@example.com"), new Email("a@example.com")))
                .as("the accessors agree, the fields (and the canonical forms) do not").isFalse();
    }

    static Stream<Arguments> equalLeafPairs() {
        return Stream.of(
                Arguments.of("string", "a", new String("a")),
                Arguments.of("double NaN", Double.NaN, Double.longBitsToDouble(0x7ff8000000000123L)),
                Arguments.of("float NaN", Float.NaN, Float.intBitsToFloat(0x7fc00123)),
                Arguments.of("double", 0.1, 0.1),
                Arguments.of("big decimal", new BigDecimal("1.50"), new BigDecimal("1.50")),
                Arguments.of("big integer", new BigInteger("123"), BigInteger.valueOf(123)),
                Arguments.of("locale", Locale.forLanguageTag("sr-Latn-RS"), new Locale.Builder()
                        .setLanguage("sr").setScript("Latn").setRegion("RS").build()),
                Arguments.of("currency", Currency.getInstance("EUR"), Currency.getInstance(Locale.FRANCE)),
                Arguments.of("zone region", ZoneId.of("Europe/Paris"), ZoneId.of("Europe/Paris")),
                Arguments.of("zone offset", ZoneOffset.ofHours(2), ZoneId.of("+02:00")),
                Arguments.of("zoned date time", ZonedDateTime.of(2024, 3, 31, 2, 30, 0, 0, ZoneId.of("Europe/Paris")),
                        ZonedDateTime.of(2024, 3, 31, 2, 30, 0, 0, ZoneId.of("Europe/Paris"))),
                Arguments.of("enum with a body", Operation.DEBIT, Operation.valueOf("DEBIT")),
                Arguments.of("uuid", UUID.fromString("123e4567-e89b-12d3-a456-426614174000"),
                        UUID.fromString("123E4567-E89B-12D3-A456-426614174000")),
                Arguments.of("year", Year.of(2024), Year.parse("2024")),
                Arguments.of("month day", MonthDay.of(2, 29), MonthDay.parse("--02-29")),
                Arguments.of("period", Period.of(1, 2, 3), Period.parse("P1Y2M3D")),
                Arguments.of("duration", Duration.ofMinutes(90), Duration.parse("PT1H30M")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("equalLeafPairs")
    void valueEquals_ofEqualLeafValuesIsTrueAndTheirCanonicalFormsAgree(String kind, Object a, Object b) {
        assertThat(Values.valueEquals(a, b)).isTrue();
        assertAgreesWithCanonical(a, b);
        assertAgreesWithCanonical(new Object[] {a}, new Object[] {b});
    }

    static Stream<Arguments> differentLeafPairs() {
        return Stream.of(
                Arguments.of("zero signs", 0.0, -0.0),
                Arguments.of("float zero signs", 0.0f, -0.0f),
                Arguments.of("integer and long", 1, 1L),
                Arguments.of("double and float", 1.0, 1.0f),
                Arguments.of("decimal scales", new BigDecimal("1.0"), new BigDecimal("1.00")),
                Arguments.of("enum constants", Operation.DEBIT, Operation.CREDIT),
                Arguments.of("zone region and offset", ZoneId.of("UTC"), ZoneOffset.UTC),
                Arguments.of("zoned date time zones", ZonedDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneId.of("Europe/Paris")),
                        ZonedDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHours(1))),
                Arguments.of("instant and offset date time", Instant.EPOCH,
                        OffsetDateTime.ofInstant(Instant.EPOCH, ZoneOffset.UTC)),
                Arguments.of("locale variants", Locale.forLanguageTag("de-DE"),
                        Locale.forLanguageTag("de-DE-u-co-phonebk")),
                Arguments.of("string and character", "a", 'a'),
                Arguments.of("local date and its text", LocalDate.of(2024, 1, 2), "2024-01-02"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("differentLeafPairs")
    void valueEquals_ofValuesOfAnotherTypeOrValueIsFalse(String kind, Object a, Object b) {
        // Some of these have equal canonical forms (equal by value on purpose); valueEquals may only be stricter.
        assertThat(Values.valueEquals(a, b)).isFalse();
        assertThat(Values.valueEquals(b, a)).isFalse();
    }

    @Test
    void isDeeplyImmutable_readsRecordComponentsFromTheirFields() {
        record Holder(Object content) {
            @Override
            public Object content() {
                return "masked";
            }
        }
        assertThat(Values.isDeeplyImmutable(new Holder("text"))).isTrue();
        assertThat(Values.isDeeplyImmutable(new Holder(new java.util.ArrayList<>(List.of("mutable")))))
                .as("the field holds a mutable list, whatever the accessor says").isFalse();
    }
}
