package dev.idem.core.internal.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.idem.core.internal.expression.Samples.Customer;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Where a value and its declared type disagree. Both cases were found by {@code KeyExpressionPropertiesTest}:
 * a polluted collection made evaluation throw a bare {@link ClassCastException}, and a map index of the wrong key
 * type compiled and then missed its entry on every call.
 */
class DeclaredTypeTest {
    private static final String CUSTOMER = "dev.idem.core.internal.expression.Samples$Customer";

    private final DefaultKeyResolver resolver = new DefaultKeyResolver();

    /** Throws a {@link ClassCastException} of its own, which must reach the caller unchanged. */
    public record Fragile(String id) {
        static final ClassCastException THROWN = new ClassCastException("the member's own");

        public String getBoom() {
            throw THROWN;
        }
    }

    static void lists(List<Customer> customers, Map<String, Customer> byName, Map<String, Map<String, String>> groups,
            Map<String, int[]> codes, Fragile fragile) {
    }

    static void maps(Map<String, String> byName, Map<Integer, String> byNumber, TreeMap<Long, String> byLong,
            Map<CharSequence, String> byText, Map<?, String> byAnything, @SuppressWarnings("rawtypes") Map raw,
            Catalog catalog) {
    }

    /** A map whose key type only its superclass declares. */
    static final class Catalog extends LinkedHashMap<String, Customer> {
        private static final long serialVersionUID = 1L;
    }

    private static Method method(String name) {
        return Arrays.stream(DeclaredTypeTest.class.getDeclaredMethods())
                .filter(m -> m.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private Object evaluate(String expression, Object... args) {
        return resolver.compile(expression, method("lists")).evaluate(args);
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static List<Customer> polluted(Object element) {
        List raw = new ArrayList();
        raw.add(element);
        return raw;
    }

    @Test
    void listElementOfAnotherTypeThanDeclared_isAnIllegalArgumentNamingTheElementAndBothTypes() {
        Object[] args = {polluted(new LinkedHashMap<>(Map.of("id", "c-1"))), null, null, null, null};

        Throwable thrown = catchThrowable(() -> evaluate("#customers[0].id", args));

        assertThat(thrown).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("#customers[0] is a java.util.LinkedHashMap, not the declared " + CUSTOMER + " (a"
                        + " collection or generic value holding another type than its declaration says, filled"
                        + " through a raw or unchecked type?)")
                .hasCauseInstanceOf(ClassCastException.class);
    }

    @Test
    void listElementOfAnotherTypeThanDeclared_isReportedInAConcatenationAndAfterNullSafeSteps() {
        Object[] args = {polluted("c-1"), null, null, null, null};

        assertThatThrownBy(() -> evaluate("'k:' + #customers?.[0]?.id", args))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("#customers?.[0] is a java.lang.String, not the declared " + CUSTOMER);
    }

    @Test
    @SuppressWarnings({"rawtypes", "unchecked"})
    void mapValueOfAnotherTypeThanDeclared_isAnIllegalArgument() {
        Map byName = new HashMap(Map.of("alice", 42));

        assertThatThrownBy(() -> evaluate("#byName['alice'].region", null, byName, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("#byName['alice'] is a java.lang.Integer, not the declared " + CUSTOMER);
    }

    /** Before, the cast to Map sat inside the try that reads a sorted map's foreign key as missing. */
    @Test
    @SuppressWarnings({"rawtypes", "unchecked"})
    void indexIntoAValueThatIsNoMapThoughDeclaredOne_isAnIllegalArgumentNotAMissingKey() {
        Map groups = new HashMap(Map.of("g", "not a map"));

        assertThatThrownBy(() -> evaluate("#groups['g']['k']", null, null, groups, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("#groups['g'] is a java.lang.String, not the declared java.util.Map");
    }

    @Test
    @SuppressWarnings({"rawtypes", "unchecked"})
    void indexIntoAPrimitiveArrayThatIsNone_isAnIllegalArgumentNamingIt() {
        Map codes = new HashMap(Map.of("c", List.of(1)));

        assertThatThrownBy(() -> evaluate("#codes['c'][0]", null, null, null, codes, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("#codes['c'] is a java.util.ImmutableCollections$List12, not the declared"
                        + " int[]");
    }

    @Test
    void memberThrowingClassCastExceptionItself_propagatesUnchanged() {
        Object[] args = {null, null, null, null, new Fragile("f")};

        assertThat(catchThrowable(() -> evaluate("#fragile.boom", args))).isSameAs(Fragile.THROWN);
    }

    @Test
    void valuesOfTheirDeclaredTypes_evaluateAsBefore() {
        Customer alice = new Customer("c-1", true, "eu");
        Object[] args = {List.of(alice), Map.of("alice", alice), Map.of("g", Map.of("k", "v")),
            Map.of("c", new int[] {7}), new Fragile("f")};

        assertThat(evaluate("#customers[0].id", args)).isEqualTo("c-1");
        assertThat(evaluate("#byName['alice'].region", args)).isEqualTo("eu");
        assertThat(evaluate("#groups['g']['k']", args)).isEqualTo("v");
        assertThat(evaluate("#codes['c'][0]", args)).isEqualTo(7);
        assertThat(evaluate("#fragile.id", args)).isEqualTo("f");
    }

    @Test
    void integerIndexOnAMapWithStringKeys_failsAtCompileTimeSayingToQuoteIt() {
        assertThatThrownBy(() -> resolver.compile("#byName[0]", method("maps")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a map with java.lang.String keys never holds the Integer 0; quote the key: ['0'] at"
                        + " column 9 of '#byName[0]'");
        assertThatThrownBy(() -> resolver.compile("#byText?.[12]", method("maps")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a map with java.lang.CharSequence keys never holds the Integer 12; quote the key:"
                        + " ['12'] at column 11 of '#byText?.[12]'");
    }

    @Test
    void quotedNumberOnAMapWithIntegerKeys_failsAtCompileTimeSayingToWriteAnIndex() {
        assertThatThrownBy(() -> resolver.compile("#byNumber['7']", method("maps")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a map with java.lang.Integer keys never holds the String '7'; write an integer index:"
                        + " [7] at column 11 of '#byNumber['7']'");
    }

    @Test
    void keyOfNeitherKind_failsAtCompileTimeNamingTheKeyType() {
        assertThatThrownBy(() -> resolver.compile("#byLong[7]", method("maps")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a map with java.lang.Long keys never holds the Integer 7 (an index looks up an Integer,"
                        + " a quoted key a String) at column 9 of '#byLong[7]'");
        assertThatThrownBy(() -> resolver.compile("#byNumber['seven']", method("maps")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("a map with java.lang.Integer keys never holds the String 'seven' (an index");
    }

    @Test
    void keyTypeDeclaredOnlyBySuperclass_isStillChecked() {
        assertThatThrownBy(() -> resolver.compile("#catalog[0]", method("maps")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("a map with java.lang.String keys never holds the Integer 0");
        assertThat(resolver.compile("#catalog['alice'].id", method("maps"))).isNotNull();
    }

    @Test
    void mapsThatDoNotDeclareTheirKeyType_acceptEitherKind() {
        Map<Object, String> map = new HashMap<>(Map.of(1, "integer", "1", "string"));
        Object[] args = {null, null, null, null, map, map, null};

        assertThat(resolver.compile("#byAnything[1]", method("maps")).evaluate(args)).isEqualTo("integer");
        assertThat(resolver.compile("#byAnything['1']", method("maps")).evaluate(args)).isEqualTo("string");
        assertThat(resolver.compile("#raw[1]", method("maps")).evaluate(args)).isEqualTo("integer");
        assertThat(resolver.compile("#raw['1']", method("maps")).evaluate(args)).isEqualTo("string");
    }
}
