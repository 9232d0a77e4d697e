package dev.idem.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Currency;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An outcome is encoded only if it decodes to an equal value of the declared type; the common types do. Fails on
 * 11eb31c: {@code encodeVerified} did not exist, and the engine recorded any outcome whose bytes merely decoded (a
 * type variable replayed a {@code LinkedHashMap}); the codec also wrote a {@code ZonedDateTime} as a timestamp,
 * losing its zone.
 */
class OutcomeCodecTest {

    public record Line(String sku, int quantity, BigDecimal price) {
    }

    public record Order(String id, List<Line> lines, Instant placedAt, Status status) {
    }

    public enum Status {
        OPEN,
        CLOSED {
            @Override
            public String toString() {
                return "closed";
            }
        }
    }

    public record WithOptionals(Optional<String> note, OptionalInt count, Optional<Line> line) {
    }

    /** A JavaBean with getters and setters. */
    public static final class Account {
        private String id;
        private long balanceCents;

        public Account() {
        }

        Account(String id, long balanceCents) {
            this.id = id;
            this.balanceCents = balanceCents;
        }

        public String getId() {
            return id;
        }

        public void setId(String id) {
            this.id = id;
        }

        public long getBalanceCents() {
            return balanceCents;
        }

        public void setBalanceCents(long balanceCents) {
            this.balanceCents = balanceCents;
        }
    }

    /** A getter and no setter: Jackson reads the field of the same name back (it infers the mutator). */
    public static final class ReadOnlyName {
        private String name;

        public ReadOnlyName() {
        }

        ReadOnlyName(String name) {
            this.name = name;
        }

        public String getName() {
            return name;
        }
    }

    /** A receipt held as an Object or a type variable. */
    public record Receipt(String id, BigDecimal amount) {
    }

    public record Envelope(Object payload) {
    }

    public record Basket(List<Item> items) {
    }

    public record Item(String sku, Object amount) {
    }

    /** A public property and a private field that Jackson neither writes nor reads. */
    public static final class Token {
        public String name;
        private String secret;

        public Token() {
        }

        Token(String name, String secret) {
            this.name = name;
            this.secret = secret;
        }
    }

    /** State only in private fields, no getters or setters: nothing for Jackson to write. */
    public static final class Opaque {
        private final String secret;

        Opaque(String secret) {
            this.secret = secret;
        }
    }

    /** A getter that computes from a field of another name, and no setter: the state does not come back. */
    public static final class Price {
        private long cents;

        public Price() {
        }

        Price(long cents) {
            this.cents = cents;
        }

        public double getAmount() {
            return cents / 100.0;
        }
    }

    /** An accessor that masks its field: Jackson writes the mask. */
    public record Card(String number) {
        @Override
        public String number() {
            return "****";
        }
    }

    static <T> T generic(T value) {
        return value;
    }

    private static Type typeVariableT() throws NoSuchMethodException {
        return OutcomeCodecTest.class.getDeclaredMethod("generic", Object.class).getGenericReturnType();
    }

    private static Type type(TypeReference<?> reference) {
        return reference.getType();
    }

    private static Object roundTrip(Object value, Type type) throws Exception {
        JavaType javaType = OutcomeCodec.javaType(type);
        byte[] bytes = OutcomeCodec.encodeVerified(value, javaType, type);
        return OutcomeCodec.decode(bytes, javaType);
    }

    private static final Order ORDER = new Order("o-1", List.of(new Line("sku-1", 2, new BigDecimal("19.90"))),
            Instant.parse("2024-01-02T03:04:05.123456789Z"), Status.CLOSED);

    static Stream<Arguments> roundTripping() {
        return Stream.of(
                Arguments.of("String", "text", String.class),
                Arguments.of("int", 5, int.class),
                Arguments.of("Integer", 5, Integer.class),
                Arguments.of("long", Long.MAX_VALUE, long.class),
                Arguments.of("Long", 5L, Long.class),
                Arguments.of("short", (short) 5, short.class),
                Arguments.of("byte", (byte) 5, byte.class),
                Arguments.of("char", 'c', char.class),
                Arguments.of("boolean", true, boolean.class),
                Arguments.of("double", 0.1, double.class),
                Arguments.of("double -0.0", -0.0, double.class),
                Arguments.of("double NaN", Double.NaN, double.class),
                Arguments.of("Double infinity", Double.POSITIVE_INFINITY, Double.class),
                Arguments.of("float", 0.1f, float.class),
                Arguments.of("BigInteger", new BigInteger("123456789012345678901234567890"), BigInteger.class),
                Arguments.of("BigDecimal 10.50", new BigDecimal("10.50"), BigDecimal.class),
                Arguments.of("BigDecimal 1E+3", new BigDecimal("1E+3"), BigDecimal.class),
                Arguments.of("Instant", Instant.parse("2024-01-02T03:04:05.123456789Z"), Instant.class),
                Arguments.of("LocalDate", LocalDate.of(2024, 2, 29), LocalDate.class),
                Arguments.of("LocalDateTime", LocalDateTime.of(2024, 2, 29, 1, 2, 3, 4), LocalDateTime.class),
                Arguments.of("LocalTime", LocalTime.of(1, 2, 3, 4), LocalTime.class),
                Arguments.of("OffsetDateTime", OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 6, ZoneOffset.ofHours(2)),
                        OffsetDateTime.class),
                Arguments.of("ZonedDateTime", ZonedDateTime.of(2024, 10, 27, 2, 30, 0, 7, ZoneId.of("Europe/Paris"))
                        .withLaterOffsetAtOverlap(), ZonedDateTime.class),
                Arguments.of("Duration", Duration.ofSeconds(5, 7), Duration.class),
                Arguments.of("Period", Period.of(1, 2, 3), Period.class),
                Arguments.of("Year", Year.of(2024), Year.class),
                Arguments.of("YearMonth", YearMonth.of(2024, 2), YearMonth.class),
                Arguments.of("MonthDay", MonthDay.of(2, 29), MonthDay.class),
                Arguments.of("ZoneId", ZoneId.of("Europe/Paris"), ZoneId.class),
                Arguments.of("ZoneOffset", ZoneOffset.ofHours(2), ZoneOffset.class),
                Arguments.of("UUID", UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), UUID.class),
                Arguments.of("enum", Status.OPEN, Status.class),
                Arguments.of("enum constant with a body", Status.CLOSED, Status.class),
                Arguments.of("Locale", Locale.forLanguageTag("sr-Latn-RS"), Locale.class),
                Arguments.of("Currency", Currency.getInstance("EUR"), Currency.class),
                Arguments.of("URI", URI.create("https://example.com/a?b=c"), URI.class),
                Arguments.of("record", ORDER, Order.class),
                Arguments.of("record with optionals", new WithOptionals(Optional.empty(), OptionalInt.of(3),
                        Optional.of(new Line("s", 1, BigDecimal.ONE))), WithOptionals.class),
                Arguments.of("JavaBean", new Account("a-1", 1234), Account.class),
                Arguments.of("getter without setter", new ReadOnlyName("n"), ReadOnlyName.class),
                Arguments.of("Optional", Optional.of("x"), type(new TypeReference<Optional<String>>() { })),
                Arguments.of("empty Optional", Optional.empty(), type(new TypeReference<Optional<String>>() { })),
                Arguments.of("List<Order> (List.of)", List.of(ORDER), type(new TypeReference<List<Order>>() { })),
                Arguments.of("List<Order> (ArrayList)", new ArrayList<>(List.of(ORDER)),
                        type(new TypeReference<List<Order>>() { })),
                Arguments.of("Map<String, Order>", Map.of("a", ORDER, "b", ORDER),
                        type(new TypeReference<Map<String, Order>>() { })),
                Arguments.of("Map<Integer, String>", Map.of(1, "a", 2, "b"),
                        type(new TypeReference<Map<Integer, String>>() { })),
                Arguments.of("Map<UUID, Long>", Map.of(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), 1L),
                        type(new TypeReference<Map<UUID, Long>>() { })),
                Arguments.of("EnumMap", new EnumMap<>(Map.of(Status.OPEN, 1)),
                        type(new TypeReference<EnumMap<Status, Integer>>() { })),
                Arguments.of("Set<String>", Set.of("a", "b"), type(new TypeReference<Set<String>>() { })),
                Arguments.of("SortedSet from a HashSet", new TreeSet<>(Set.of("b", "a")),
                        type(new TypeReference<SortedSet<String>>() { })),
                Arguments.of("Set of records", new HashSet<>(List.of(new Line("a", 1, BigDecimal.TEN))),
                        type(new TypeReference<Set<Line>>() { })),
                Arguments.of("byte[]", new byte[] {0, 1, -1}, byte[].class),
                Arguments.of("int[]", new int[] {1, 2}, int[].class),
                Arguments.of("Order[]", new Order[] {ORDER}, Order[].class),
                Arguments.of("null as void", null, void.class),
                Arguments.of("null as Void", null, Void.class),
                Arguments.of("null as a record", null, Order.class),
                Arguments.of("Object holding an Integer", 5, Object.class),
                Arguments.of("Object holding a String", "x", Object.class),
                Arguments.of("Object holding a Double", 1.5, Object.class),
                Arguments.of("Object holding a Long beyond int", Long.MAX_VALUE, Object.class),
                Arguments.of("Object holding a List<String>", List.of("a"), Object.class),
                Arguments.of("Object holding a Map<String, Integer>", Map.of("a", 1), Object.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roundTripping")
    void encodeVerified_ofTypesThatRoundTripGivesBytesThatDecodeToAnEqualValue(String kind, Object value, Type type)
            throws Exception {
        Object decoded = roundTrip(value, type);
        if (value instanceof Account || value instanceof ReadOnlyName) {
            assertThat(decoded).usingRecursiveComparison().isEqualTo(value); // no equals of their own
        } else {
            assertThat(decoded).isEqualTo(value);
        }
        if (value != null && !(value instanceof java.util.Collection<?>) && !(value instanceof Map<?, ?>)) {
            assertThat(decoded).hasSameClassAs(value);
        }
    }

    @Test
    void encodeVerified_keepsTheZoneOfAZonedDateTimeAndTheOffsetOfAnOffsetDateTime() throws Exception {
        ZonedDateTime paris = ZonedDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneId.of("Europe/Paris"));
        assertThat(((ZonedDateTime) roundTrip(paris, ZonedDateTime.class)).getZone())
                .isEqualTo(ZoneId.of("Europe/Paris"));
        OffsetDateTime plusTwo = OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHours(2));
        assertThat(((OffsetDateTime) roundTrip(plusTwo, OffsetDateTime.class)).getOffset())
                .isEqualTo(ZoneOffset.ofHours(2));
    }

    @Test
    void encodeVerified_keepsTheScaleOfABigDecimal() throws Exception {
        assertThat(((BigDecimal) roundTrip(new BigDecimal("10.50"), BigDecimal.class)).scale()).isEqualTo(2);
        assertThat(((Order) roundTrip(ORDER, Order.class)).lines().get(0).price().scale()).isEqualTo(2);
    }

    @Test
    void encodeVerified_ofAPojoHeldAsATypeVariableFails() throws Exception {
        Receipt receipt = new Receipt("r-1", BigDecimal.TEN);
        Type t = typeVariableT();
        assertThatIllegalArgumentException()
                .isThrownBy(() -> OutcomeCodec.encodeVerified(receipt, OutcomeCodec.javaType(t), t))
                .withMessage("$: a " + Receipt.class.getName() + " came back as a java.util.LinkedHashMap "
                        + "(declared type T)");
    }

    @Test
    void encodeVerified_ofAPojoHeldAsObjectFails() {
        Receipt receipt = new Receipt("r-1", BigDecimal.TEN);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> OutcomeCodec.encodeVerified(receipt, OutcomeCodec.javaType(Object.class)))
                .withMessage("$: a " + Receipt.class.getName() + " came back as a java.util.LinkedHashMap "
                        + "(declared type java.lang.Object)");
    }

    @Test
    void encodeVerified_ofALongInAnObjectFieldFails() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> OutcomeCodec.encodeVerified(new Envelope(5L), OutcomeCodec.javaType(Envelope.class)))
                .withMessage("$.payload: a java.lang.Long came back as a java.lang.Integer (declared type "
                        + "java.lang.Object)");
        Basket basket = new Basket(List.of(new Item("s", 5L)));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> OutcomeCodec.encodeVerified(basket, OutcomeCodec.javaType(Basket.class)))
                .withMessage("$.items[0].amount: a java.lang.Long came back as a java.lang.Integer (declared type "
                        + "java.lang.Object)");
    }

    @Test
    void encodeVerified_ofValuesThatLoseTheirTypeInAnObjectFails() {
        Map<Object, String> cases = new java.util.LinkedHashMap<>();
        cases.put(new BigDecimal("1.50"), "a java.math.BigDecimal came back as a java.lang.Double");
        cases.put(Instant.EPOCH, "a java.time.Instant came back as a java.lang.String");
        cases.put(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), "a java.util.UUID came back as a "
                + "java.lang.String");
        cases.put(Status.OPEN, "a " + Status.class.getName() + " came back as a java.lang.String");
        cases.put('c', "a java.lang.Character came back as a java.lang.String");
        cases.put(1.5f, "a java.lang.Float came back as a java.lang.Double");
        cases.put(Double.NaN, "a java.lang.Double came back as a java.lang.String");
        cases.put(new byte[] {1}, "a [B came back as a java.lang.String");
        cases.put(Set.of("a"), "a " + Set.of("a").getClass().getName() + " came back as a java.util.ArrayList");
        cases.forEach((value, message) -> assertThatIllegalArgumentException()
                .isThrownBy(() -> OutcomeCodec.encodeVerified(value, OutcomeCodec.javaType(Object.class)))
                .withMessage("$: " + message + " (declared type java.lang.Object)"));
    }

    @Test
    void encodeVerified_ofStateNotVisibleToTheCodecFails() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> OutcomeCodec.encodeVerified(new Token("t", "s3cr3t"),
                        OutcomeCodec.javaType(Token.class)))
                .withMessage("$.secret: state not visible to the codec came back different");
    }

    @Test
    void encodeVerified_ofAClassWithOnlyPrivateStateFailsAsUnwritable() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> OutcomeCodec.encodeVerified(new Opaque("s"), OutcomeCodec.javaType(Opaque.class)))
                .withMessageStartingWith("a " + Opaque.class.getName() + " cannot be encoded as "
                        + Opaque.class.getName() + ": No serializer found");
    }

    @Test
    void encodeVerified_ofAComputedGetterWithoutSetterFails() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> OutcomeCodec.encodeVerified(new Price(150), OutcomeCodec.javaType(Price.class)))
                .withMessage("$.cents: state not visible to the codec came back different");
    }

    @Test
    void encodeVerified_ofIntegerKeysOfAnObjectKeyedMapFails() {
        JavaType type = OutcomeCodec.javaType(new TypeReference<Map<Object, String>>() { }.getType());
        assertThatIllegalArgumentException().isThrownBy(() -> OutcomeCodec.encodeVerified(Map.of(1, "a"), type))
                .withMessage("$[1]: the key (a java.lang.Integer) came back as a java.lang.String");
    }

    @Test
    void encodeVerified_ofLongElementsOfAnObjectSetFails() {
        JavaType type = OutcomeCodec.javaType(new TypeReference<Set<Object>>() { }.getType());
        assertThatIllegalArgumentException().isThrownBy(() -> OutcomeCodec.encodeVerified(Set.of(5L), type))
                .withMessage("$: an element (a java.lang.Long) came back as a java.lang.Integer");
    }

    @Test
    void encodeVerified_ofARecordWhoseAccessorMasksItsFieldFails() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> OutcomeCodec.encodeVerified(new Card("4111"), OutcomeCodec.javaType(Card.class)))
                .withMessage("$.number: a java.lang.String came back different");
    }

    @Test
    void encodeVerified_ofACycleFailsAsUnwritable() {
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> OutcomeCodec.encodeVerified(cycle, OutcomeCodec.javaType(Object.class)))
                .withMessageStartingWith("a java.util.ArrayList cannot be encoded as java.lang.Object: ");
    }

    @Test
    void encodeVerified_ofAValueThatCannotBeReadBackFails() {
        record NoCreator(String name) {
            NoCreator {
                if (name.isEmpty()) {
                    throw new IllegalStateException("empty");
                }
            }

            @Override
            public String name() {
                return "";
            }
        }
        assertThatIllegalArgumentException()
                .isThrownBy(() -> OutcomeCodec.encodeVerified(new NoCreator("n"),
                        OutcomeCodec.javaType(NoCreator.class)))
                .withMessageStartingWith("a " + NoCreator.class.getName() + " cannot be read back as ");
    }
}
