package dev.idem.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One nesting limit, {@link Canonical#MAX_DEPTH}, holds across every kind of container, and a payload beyond it or
 * with a cycle fails with {@link IllegalArgumentException}, never a {@code StackOverflowError}. Fails on 11eb31c:
 * each set element was written by a generator of its own whose depth started at zero, so nested sets overflowed the
 * stack.
 */
class CanonicalDepthTest {

    /** A bean, linked to whatever it holds. */
    static final class Node {
        private Object next;

        Node(Object next) {
            this.next = next;
        }
    }

    record Box(Object content) {
    }

    static Stream<Arguments> containers() {
        return Stream.of(
                Arguments.of("set", (UnaryOperator<Object>) Set::of),
                Arguments.of("list", (UnaryOperator<Object>) List::of),
                Arguments.of("map value", (UnaryOperator<Object>) inner -> Map.of("k", inner)),
                Arguments.of("map key", (UnaryOperator<Object>) inner -> Map.of(inner, 1)),
                Arguments.of("bean", (UnaryOperator<Object>) Node::new),
                Arguments.of("record", (UnaryOperator<Object>) Box::new),
                Arguments.of("array", (UnaryOperator<Object>) inner -> new Object[] {inner}),
                Arguments.of("optional", (UnaryOperator<Object>) Optional::of),
                Arguments.of("atomic reference", (UnaryOperator<Object>) AtomicReference::new),
                Arguments.of("map entry", (UnaryOperator<Object>) inner -> Map.entry("k", inner)),
                Arguments.of("mixed", mixed()));
    }

    /** Set, list, map, bean, set, ... in turn: the limit counts every kind alike. */
    private static UnaryOperator<Object> mixed() {
        return new UnaryOperator<>() {
            private int level;

            @Override
            public Object apply(Object inner) {
                return switch (level++ % 4) {
                    case 0 -> Set.of(inner);
                    case 1 -> List.of(inner);
                    case 2 -> Map.of("k", inner);
                    default -> new Node(inner);
                };
            }
        };
    }

    private static Object nested(UnaryOperator<Object> container, int levels) {
        Object value = "leaf";
        for (int i = 0; i < levels; i++) {
            value = container.apply(value);
        }
        return value;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void json_ofPayloadExactlyMaxDepthDeepIsWritten(String kind, UnaryOperator<Object> container) {
        assertThat(Canonical.json(nested(container, Canonical.MAX_DEPTH))).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void json_ofPayloadOneLevelDeeperThanMaxDepthFails(String kind, UnaryOperator<Object> container) {
        assertThatIllegalArgumentException().isThrownBy(() -> Canonical.json(nested(container, Canonical.MAX_DEPTH
                + 1))).withMessageStartingWith("no canonical form for a ")
                .withMessageContaining(": nested deeper than 100 levels");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void json_ofVeryDeepPayloadFailsWithIllegalArgumentExceptionNotStackOverflow(String kind,
            UnaryOperator<Object> container) {
        Object deep = nested(container, 5_000);
        assertThatIllegalArgumentException().isThrownBy(() -> Canonical.hash(deep))
                .withMessageContaining("nested deeper than 100 levels");
    }

    @Test
    void json_ofDeeplyNestedHashSetsFails() {
        // HashSet (unlike Set.of) hashes its element when added: keep the test payload within what hashCode can do.
        Object value = "leaf";
        for (int i = 0; i < 2_000; i++) {
            value = new HashSet<>(Set.of(value));
        }
        Object deep = value;
        assertThatIllegalArgumentException().isThrownBy(() -> Canonical.hash(deep))
                .withMessageContaining("nested deeper than 100 levels");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void json_onAStackTooSmallForMaxDepthFailsWithIllegalArgumentExceptionNotAnError(String kind,
            UnaryOperator<Object> container) throws InterruptedException {
        Object payload = nested(container, Canonical.MAX_DEPTH);
        // Load and initialize every class (Jackson's serializers for these containers) on this thread's stack: a
        // class initializer that overflows the small stack fails with a linkage error, which is not the point here.
        Canonical.hash(payload);
        List<Throwable> thrown = new ArrayList<>();
        // 96 KiB holds fewer than MAX_DEPTH levels of most containers here (192 KiB holds them all).
        Thread thread = new Thread(null, () -> {
            try {
                Canonical.hash(payload);
            } catch (Throwable t) {
                thrown.add(t);
            }
        }, "small-stack", 96 * 1024);
        thread.start();
        thread.join();
        if (!thrown.isEmpty()) {
            assertThat(thrown.get(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageEndingWith(": nested too deeply for this thread's stack");
        }
    }

    @Test
    void json_ofListContainingItselfFailsAsACycle() {
        List<Object> list = new ArrayList<>();
        list.add("x");
        list.add(list);
        assertThatIllegalArgumentException().isThrownBy(() -> Canonical.json(list))
                .withMessage("no canonical form for a java.util.ArrayList: a cycle: a java.util.ArrayList contains "
                        + "itself");
    }

    @Test
    void json_ofSetContainingItselfFailsAsACycle() {
        Set<Object> set = new HashSet<>();
        set.add(set); // hashed while empty
        assertThatIllegalArgumentException().isThrownBy(() -> Canonical.json(set)).withMessageContaining("a cycle");
    }

    @Test
    void json_ofMapContainingItselfAsValueOrKeyFailsAsACycle() {
        Map<Object, Object> byValue = new HashMap<>();
        byValue.put("self", byValue);
        Map<Object, Object> byKey = new HashMap<>();
        byKey.put(byKey, 1); // hashed while empty
        assertThatIllegalArgumentException().isThrownBy(() -> Canonical.json(byValue))
                .withMessageContaining("a cycle");
        assertThatIllegalArgumentException().isThrownBy(() -> Canonical.json(byKey))
                .withMessageContaining("a cycle");
    }

    @Test
    void json_ofBeanReferringToItselfFailsAsACycle() {
        Node node = new Node(null);
        node.next = node;
        assertThatIllegalArgumentException().isThrownBy(() -> Canonical.json(node))
                .withMessage("no canonical form for a " + Node.class.getName() + ": a cycle: a "
                        + Node.class.getName() + " contains itself");
    }

    @Test
    void json_ofCycleThroughListsMapsAndSetsFailsAsACycle() {
        Node a = new Node(null);
        Node b = new Node(Map.of("back", Set.of(List.of(a))));
        a.next = b;
        assertThatIllegalArgumentException().isThrownBy(() -> Canonical.json(a)).withMessageContaining("a cycle");
    }

    @Test
    void json_ofAtomicReferenceToItselfFailsAsACycle() {
        AtomicReference<Object> reference = new AtomicReference<>();
        reference.set(reference);
        assertThatIllegalArgumentException().isThrownBy(() -> Canonical.json(reference))
                .withMessageContaining("a cycle");
    }

    @Test
    void json_ofSharedButAcyclicValueIsWritten() {
        Node shared = new Node("x");
        assertThatCode(() -> Canonical.json(List.of(shared, shared, Map.of("a", shared), Set.of(shared))))
                .doesNotThrowAnyException();
        assertThat(new String(Canonical.json(List.of(shared, shared))))
                .isEqualTo("[{\"next\":\"x\"},{\"next\":\"x\"}]");
    }

    @Test
    void json_ofStreamIsRefusedRatherThanUsedUp() {
        Stream<String> stream = Stream.of("a");
        assertThatIllegalArgumentException().isThrownBy(() -> Canonical.json(List.of(stream)))
                .withMessageContaining("can be read only once");
        assertThat(stream.toList()).containsExactly("a");
    }
}
