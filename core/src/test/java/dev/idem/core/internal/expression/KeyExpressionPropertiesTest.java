package dev.idem.core.internal.expression;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.core.spi.KeyResolver.KeyExpression;
import dev.idem.core.spi.KeyResolver.NullSegmentException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Assume;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Issue 8 asks that key expression parsing throw nothing but the documented exception. The contract of
 * {@link dev.idem.core.spi.KeyResolver#compile}: an expression, or {@link IllegalArgumentException} saying what is
 * wrong. The contract of evaluation ({@link DefaultKeyResolver}): a value, {@link NullSegmentException} for a null on
 * the path, or {@link IllegalArgumentException} for a value whose class turns out not to have what the expression
 * asks of it; the members of the sample types below throw nothing of their own, so any other exception is ours.
 *
 * <p>Arbitrary strings almost never get past the lexer, so most tries are built from the grammar, with tokens and
 * mistakes mixed in, against a method whose parameters are a record, a bean, a map, a list, {@code Object} and an
 * array, and evaluated on argument sets that hold nulls, empty and polluted collections.
 */
class KeyExpressionPropertiesTest {
    private static final Method TARGET = method("target");
    private static final DefaultKeyResolver RESOLVER = new DefaultKeyResolver();

    /** A record, the usual request. */
    public record Request(String id, Address address, List<Item> items, Map<String, String> meta, int[] codes,
            Map<Integer, String> byNumber) {
    }

    public record Address(String city, List<String> lines) {
    }

    public record Item(String sku, long quantity) {
    }

    /** A mutable bean that is not final, so missing members are looked up on each value's class. */
    public static class Bean {
        public String label;
        private final String name;
        private final Bean parent;
        private final Map<String, Object> attributes;
        private final List<Object> values;

        public Bean(String name, Bean parent, Map<String, Object> attributes, List<Object> values) {
            this.name = name;
            this.parent = parent;
            this.attributes = attributes;
            this.values = values;
            this.label = name == null ? null : "label-" + name;
        }

        public String getName() {
            return name;
        }

        public boolean isActive() {
            return name != null;
        }

        public Bean getParent() {
            return parent;
        }

        public Map<String, Object> getAttributes() {
            return attributes;
        }

        public List<Object> getValues() {
            return values;
        }
    }

    /** A subclass with a member its parameter's declared type lacks. */
    public static final class SpecialBean extends Bean {
        public SpecialBean(String name) {
            super(name, null, Map.of("id", "special"), List.of("v"));
        }

        public String getCode() {
            return "code-" + getName();
        }
    }

    static void target(Request request, Bean bean, Map<String, Item> items, List<Item> list, Object any,
            String[] names) {
    }

    static void maps(Map<String, String> byName, Map<Integer, String> byNumber, TreeMap<Long, String> byLong,
            Map<CharSequence, String> byText, Map<?, String> byAnything) {
    }

    /**
     * A map index never silently misses the entry it names: SpEL converts {@code [5]} to a {@code String} key on a
     * {@code Map<String, V>} and {@code ['5']} to an {@code Integer} on a {@code Map<Integer, V>}; this language does
     * not convert, so where the literal cannot be a key of the declared type it must refuse at compile time, saying
     * so, and where it compiles it must find the entry. (A key that is always missing would fail every call, or with
     * {@code keyRequired = false} run every call unprotected.)
     */
    @Property(tries = 1000)
    void mapIndex_isRefusedNamingTheKeyTypeOrFindsTheEntryItNames(
            @ForAll("mapParameters") int parameter, @ForAll("indexContents") String content,
            @ForAll boolean quoted, @ForAll boolean nullSafe) {
        Assume.that(quoted || content.matches("[0-9]+")); // [word] is a syntax error, covered elsewhere
        Method maps = method("maps");
        String name = maps.getParameters()[parameter].getName();
        String text = "#" + name + (nullSafe ? "?." : "") + (quoted ? "['" + content + "']" : "[" + content + "]");
        Object key = quoted ? content : Integer.valueOf(content);
        // The key the text names, in the map's own key type, as SpEL would look it up; null if it has none.
        Object named = switch (name) {
            case "byName", "byText" -> content;
            case "byNumber" -> content.matches("[0-9]{1,9}") ? Integer.valueOf(content) : null;
            case "byLong" -> content.matches("[0-9]{1,18}") ? Long.valueOf(content) : null;
            default -> key;
        };
        Object[] args = new Object[maps.getParameterCount()];
        Map<Object, Object> map = name.equals("byLong") ? new TreeMap<>() : new HashMap<>();
        if (named != null) {
            map.put(named, "the entry");
        }
        args[parameter] = map;

        KeyExpression expression;
        try {
            expression = RESOLVER.compile(text, maps);
        } catch (IllegalArgumentException e) {
            assertThat(e).hasMessageContaining("keys never holds the");
            return;
        }
        assertThat(expression.evaluate(args)).as("%s on %s", text, map).isEqualTo("the entry");
    }

    @Provide
    Arbitrary<Integer> mapParameters() {
        return Arbitraries.integers().between(0, 4);
    }

    /** What goes between the brackets: digits (an index, or a quoted number) or a word (quoted). */
    @Provide
    Arbitrary<String> indexContents() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 1_000_000).map(String::valueOf),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(5));
    }

    @Property(tries = 3000)
    void compile_ofAnyString_returnsAnExpressionOrIllegalArgument(@ForAll("anyText") String text) {
        compileAndEvaluate(text);
    }

    @Property(tries = 4000)
    void compile_ofNearValidExpressions_returnsAnExpressionOrIllegalArgument(
            @ForAll("nearValidExpressions") String text) {
        compileAndEvaluate(text);
    }

    @Property(tries = 2500)
    void compile_ofWellFormedExpressions_returnsAnExpressionOrIllegalArgument(
            @ForAll("wellFormedExpressions") String text) {
        compileAndEvaluate(text);
    }

    /**
     * Nothing in the lexer or the parser may recurse per token, so no length or nesting overflows the stack. Inputs
     * that fail early are far longer than any stack is deep; those that compile are shorter, as every step of them
     * spins an accessor.
     */
    @Example
    void compile_ofHugeOrDeeplyNestedInputs_isIllegalArgumentOrAnExpression() {
        for (String text : List.of("(".repeat(100_000), "[".repeat(100_000), "#any" + "[".repeat(100_000),
                "#any" + "?.".repeat(50_000), "'" + "x".repeat(200_000), "'" + "''".repeat(100_000) + "'",
                "+".repeat(100_000), "#" + "a".repeat(200_000), "#any[" + "9".repeat(100_000) + "]",
                "#p" + "9".repeat(100_000), " ".repeat(100_000), "#any" + ".x".repeat(3_000),
                "#any" + "[0]".repeat(3_000), "#bean" + ".parent".repeat(300) + ".name",
                String.join(" + ", Collections.nCopies(500, "#any.id")),
                String.join(" + ", Collections.nCopies(20_000, "'k'")))) {
            compileAndEvaluate(text);
        }
    }

    private static void compileAndEvaluate(String text) {
        KeyExpression expression;
        try {
            expression = RESOLVER.compile(text, TARGET);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).as("message for %s", shorten(text)).isNotBlank().contains(" at column ");
            return;
        }
        assertThat(expression).as("compiled %s", shorten(text)).isNotNull();
        assertThat(expression.toString()).isEqualTo(text);
        for (Object[] args : arguments()) {
            try {
                expression.evaluate(args.clone());
            } catch (NullSegmentException e) {
                // The segment is the source text of what was null, so the engine's message points into the key.
                assertThat(text).as("null segment of %s", shorten(text)).contains(e.segment());
            } catch (IllegalArgumentException e) {
                assertThat(e.getMessage()).as("message for %s", shorten(text)).isNotBlank();
            }
        }
    }

    private static String shorten(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "... (" + text.length() + " characters)";
    }

    /** Argument sets, each matching {@link #target}'s parameters; fresh per call, as the values are mutable. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<Object[]> arguments() {
        Address address = new Address("Basel", List.of("line 1", "line 2"));
        Item item = new Item("sku-1", 3);
        Map<String, String> meta = new HashMap<>();
        meta.put("k", "v");
        meta.put("id", null);
        Map<Integer, String> byNumber = new TreeMap<>(Map.of(0, "zero", 1, "one"));
        List<Item> itemsWithNull = new ArrayList<>(Arrays.asList(item, null));
        Request full = new Request("r-1", address, itemsWithNull, meta, new int[] {7, 8}, byNumber);
        Request empty = new Request("", new Address(null, List.of()), List.of(), Map.of(), new int[0], Map.of());
        Request nulls = new Request(null, null, null, null, null, null);

        Bean root = new Bean("root", null, new LinkedHashMap<>(Map.of("k", "v", "n", 1)), List.of("a", 2));
        Bean child = new Bean("child", root, null, null);
        Bean nameless = new Bean(null, null, Collections.emptyMap(), Collections.emptyList());

        Map<String, Item> items = new TreeMap<>(Map.of("k", item, "id", new Item(null, 0)));
        // Heap pollution, as a lossy decoder or a raw-typed caller leaves it: the declared types lie.
        List polluted = new ArrayList<>(List.of("not an item", Map.of("sku", "x"), 42));
        Map pollutedMap = new HashMap<>(Map.of("k", "not an item", "id", List.of(1)));

        Map<Object, Object> mixedKeys = new HashMap<>();
        mixedKeys.put(0, "int zero");
        mixedKeys.put("k", new SpecialBean("in a map"));
        mixedKeys.put("id", null);

        return List.of(
                new Object[] {full, child, items, List.of(item), full, new String[] {"a", "b"}},
                new Object[] {empty, root, Map.of(), List.of(), root, new String[0]},
                new Object[] {nulls, nameless, new HashMap<>(), new ArrayList<>(), new SpecialBean("s"),
                    new String[] {null}},
                new Object[] {null, null, null, null, null, null},
                new Object[] {full, new SpecialBean("s"), pollutedMap, polluted, mixedKeys, new String[] {"x"}},
                new Object[] {full, root, items, itemsWithNull, List.of(address, "x"), null},
                new Object[] {empty, child, items, List.of(item, item), new int[] {1, 2, 3}, new String[] {"y"}},
                new Object[] {full, root, items, List.of(item), "a string", new String[] {"z"}},
                new Object[] {full, root, items, List.of(item), Map.of("k", List.of(address)), new String[] {"z"}},
                new Object[] {full, root, items, List.of(item), new Object[] {item, null}, new String[] {"z"}},
                new Object[] {full, root, items, List.of(item), new TreeMap<>(Map.of("k", 1)), new String[] {"z"}},
                new Object[] {full, root, items, List.of(item), (Runnable) () -> { }, new String[] {"z"}});
    }

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(30),
                Arbitraries.strings().withChars("#.?[]()'\"+ :{}pa01_$\\\t\n-*").ofMaxLength(30),
                Arbitraries.strings().withChars("#.?[]()'\"+").ofMinLength(1).ofMaxLength(500));
    }

    /** Expressions built from the grammar: parts joined by {@code +}, each a literal or a chain of steps. */
    @Provide
    Arbitrary<String> wellFormedExpressions() {
        return part().list().ofMinSize(1).ofMaxSize(4).map(parts -> String.join(" + ", parts));
    }

    /** Well-formed expressions with one or two mistakes spliced in: a stray token, a cut, a doubled slice. */
    @Provide
    Arbitrary<String> nearValidExpressions() {
        Arbitrary<String> joined = Combinators.combine(part().list().ofMinSize(1).ofMaxSize(4),
                Arbitraries.of(" + ", "+", " ", "", " +", "++", " . ")).as((parts, joiner) -> String.join(joiner,
                parts));
        Arbitrary<String> noise = Arbitraries.of("(", ")", "((((", "))))", "[", "]", "[[", "]]", "{", "}", "#{",
                ":", "::", "?", "?.", ".", "..", "'", "\"", "''", "#", "# ", "+", "-", "*", "\\", "[0", "0]", "['",
                "']", "()", "(1)", "$", "@", " ", "\u0000", "\u00e9", "\uD83D\uDE00", "\uD835", "#p", "#a",
                "#p00", "#p-1", "[-1]", "[2147483648]", "[0x1]", "['a'b']", "[\"a'\"]", "?[0]", "?.?.", ".(");
        return Combinators.combine(joined, noise, Arbitraries.integers().between(0, 1_000),
                        Arbitraries.integers().between(0, 1_000), Arbitraries.of(0, 1, 2, 3))
                .as((text, token, first, second, mutation) -> mutate(text, token, first, second, mutation));
    }

    private static String mutate(String text, String token, int first, int second, int mutation) {
        int at = first % (text.length() + 1);
        int other = second % (text.length() + 1);
        return switch (mutation) {
            case 0 -> text.substring(0, at) + token + text.substring(at);
            case 1 -> text.substring(0, Math.min(at, other)) + text.substring(Math.max(at, other));
            case 2 -> text.substring(0, Math.max(at, other)) + text.substring(Math.min(at, other));
            default -> text;
        };
    }

    private Arbitrary<String> part() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, literal()),
                Tuple.of(2, chain()),
                Tuple.of(4, typedChain()));
    }

    /**
     * A chain that follows the declared types, as a user writes one: each step is one the receiver's static type
     * has (or, for {@code Object}, one some sample value has), so that tries reach deep paths and evaluation rather
     * than stopping at the first unknown name. The choices are plain integers, which jqwik shrinks well.
     */
    private Arbitrary<String> typedChain() {
        return Combinators.combine(Arbitraries.integers().between(0, TARGET.getParameterCount() - 1),
                        Arbitraries.of(false, true), Arbitraries.integers().between(0, 1_000).list().ofMaxSize(5),
                        Arbitraries.integers().between(0, 9).list().ofSize(5))
                .as(KeyExpressionPropertiesTest::walk);
    }

    private static String walk(int parameter, boolean positional, List<Integer> choices, List<Integer> safety) {
        StringBuilder text = new StringBuilder(positional ? "#p" + parameter
                : "#" + TARGET.getParameters()[parameter].getName());
        Type type = TARGET.getGenericParameterTypes()[parameter];
        for (int i = 0; i < choices.size(); i++) {
            List<Map.Entry<String, Type>> steps = stepsOf(type);
            if (steps.isEmpty()) {
                break;
            }
            Map.Entry<String, Type> step = steps.get(choices.get(i) % steps.size());
            boolean nullSafe = safety.get(i) < 3;
            text.append(nullSafe ? (step.getKey().startsWith(".") ? "?" : "?.") : "").append(step.getKey());
            type = step.getValue();
        }
        return text.toString();
    }

    /** The steps a value of this static type offers, with the static type each leads to. */
    private static List<Map.Entry<String, Type>> stepsOf(Type type) {
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType()
                : type instanceof Class<?> c ? c : Object.class;
        Type[] arguments = type instanceof ParameterizedType p ? p.getActualTypeArguments() : new Type[0];
        List<Map.Entry<String, Type>> steps = new ArrayList<>();
        if (raw.isArray()) {
            for (String index : List.of("[0]", "[1]", "[5]")) {
                steps.add(Map.entry(index, raw.getComponentType()));
            }
            steps.add(Map.entry(".length", int.class));
        } else if (List.class.isAssignableFrom(raw)) {
            Type element = arguments.length == 1 ? arguments[0] : Object.class;
            for (String index : List.of("[0]", "[1]", "[2]", "[9]")) {
                steps.add(Map.entry(index, element));
            }
            steps.add(Map.entry(".size()", int.class));
            steps.add(Map.entry(".empty", boolean.class));
        } else if (Map.class.isAssignableFrom(raw)) {
            Type value = arguments.length == 2 ? arguments[1] : Object.class;
            Type key = arguments.length == 2 ? arguments[0] : Object.class;
            for (String index : key == Integer.class ? List.of("[0]", "[1]", "[7]")
                    : key == String.class ? List.of("['k']", "['id']", "['n']", "['missing']")
                    : List.of("['k']", "['id']", "[0]", "['n']")) {
                steps.add(Map.entry(index, value));
            }
            steps.add(Map.entry(".size()", int.class));
            steps.add(Map.entry(".keySet()", Object.class));
        } else if (raw == Object.class) {
            for (String step : List.of(".id", ".name", ".code", ".sku", ".address", ".city", "[0]", "['k']",
                    ".size()", ".length", ".parent", ".attributes", ".unknown")) {
                steps.add(Map.entry(step, Object.class));
            }
        } else if (raw.isRecord()) {
            for (RecordComponent component : raw.getRecordComponents()) {
                steps.add(Map.entry("." + component.getName(), component.getGenericType()));
                steps.add(Map.entry("." + component.getName() + "()", component.getGenericType()));
            }
        } else if (!raw.isPrimitive() && raw != String.class && raw.getPackageName().startsWith("dev.idem")) {
            for (Method getter : raw.getMethods()) {
                String name = getter.getName();
                if (getter.getParameterCount() == 0 && getter.getDeclaringClass() != Object.class) {
                    String property = name.startsWith("get") ? name.substring(3) : name.startsWith("is")
                            ? name.substring(2) : null;
                    if (property != null) {
                        steps.add(Map.entry("." + Character.toLowerCase(property.charAt(0)) + property.substring(1),
                                getter.getGenericReturnType()));
                    }
                    steps.add(Map.entry("." + name + "()", getter.getGenericReturnType()));
                }
            }
            for (java.lang.reflect.Field field : raw.getFields()) {
                steps.add(Map.entry("." + field.getName(), field.getGenericType()));
            }
            steps.add(Map.entry(".code", Object.class)); // only a SpecialBean has it
        } else if (raw == String.class) {
            steps.add(Map.entry(".length()", int.class));
            steps.add(Map.entry(".empty", boolean.class));
        }
        return steps;
    }

    private Arbitrary<String> literal() {
        Arbitrary<String> body = Arbitraries.strings().withChars("abc:{}# .[]'\"").ofMaxLength(8);
        return Combinators.combine(Arbitraries.of('\'', '"'), body).as((quote, text) -> {
            String q = String.valueOf(quote);
            return q + text.replace(q, q + q) + q; // escaped the only way the language knows: doubling
        });
    }

    private Arbitrary<String> chain() {
        Arbitrary<String> root = Arbitraries.of("#request", "#bean", "#items", "#list", "#any", "#names", "#p0",
                "#p1", "#p2", "#p3", "#a4", "#a5", "#p6", "#a99", "#nope", "#_", "#$x");
        Arbitrary<String> name = Arbitraries.of("id", "address", "city", "lines", "items", "meta", "codes",
                "byNumber", "length", "name", "active", "parent", "label", "attributes", "values", "sku", "quantity",
                "code", "empty", "class", "unknown", "x", "size()", "isEmpty()", "toString()", "hashCode()",
                "getClass()", "id()", "keySet()", "values()", "length()", "getName()", "name()", "entrySet()",
                "getCode()", "chars()", "trim()", "getParent()", "getValues()", "stream()");
        Arbitrary<String> member = Combinators.combine(Arbitraries.of(".", ".", "?."), name).as(String::concat);
        Arbitrary<String> index = Combinators.combine(Arbitraries.of("", "", "?."),
                Arbitraries.of("[0]", "[1]", "[2]", "[7]", "[2147483647]", "['k']", "['id']", "['']", "[\"k\"]",
                        "['it''s']", "[ 0 ]", "['n']", "['sku']")).as(String::concat);
        Arbitrary<String> step = Arbitraries.frequencyOf(Tuple.of(3, member), Tuple.of(2, index));
        return Combinators.combine(root, step.list().ofMaxSize(5)).as((r, steps) -> r + String.join("", steps));
    }

    private static Method method(String name) {
        return Arrays.stream(KeyExpressionPropertiesTest.class.getDeclaredMethods())
                .filter(m -> m.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }
}
