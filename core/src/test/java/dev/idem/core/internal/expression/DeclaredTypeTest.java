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
import org.junit.jupiter.api.Test;

/**
 * Where a value and its declared type disagree, found by {@code KeyExpressionPropertiesTest}: a polluted collection
 * made evaluation throw a bare {@link ClassCastException} naming no part of the expression.
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
}
