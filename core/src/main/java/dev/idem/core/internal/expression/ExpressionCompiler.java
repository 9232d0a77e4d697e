package dev.idem.core.internal.expression;

import dev.idem.core.internal.expression.Parser.Chain;
import dev.idem.core.internal.expression.Parser.Literal;
import dev.idem.core.internal.expression.Parser.Part;
import dev.idem.core.internal.expression.Parser.StepKind;
import dev.idem.core.spi.KeyResolver.KeyExpression;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Resolves parsed syntax against a method into a {@link KeyExpression}.
 *
 * <p>Each step is resolved against the static type known at that point: the parameter's declared type, then each
 * member's declared type (with the element type of a {@code List<E>} or the value type of a {@code Map<K, V>} when
 * the declaration names a class). When the static type lacks the member but a value could be of a subclass that has
 * it (the type is {@code Object}, an interface, or a class that is not final), the step is resolved at run time
 * against each value's class, once per class. When the type is final, a record, a primitive or an array, a missing
 * member is a compile error.
 */
final class ExpressionCompiler {
    /** SpEL's positional names; they yield to a real parameter of the same name. */
    private static final Pattern POSITIONAL = Pattern.compile("[pa]([0-9]+)");

    private final String source;
    private final Parameter[] parameters;
    /** The static type of {@code #result}, the only variable (index 0) of a condition; null in a key expression. */
    private final Type resultType;

    private ExpressionCompiler(String source, Method method, Type resultType) {
        this.source = source;
        this.parameters = resultType == null ? method.getParameters() : new Parameter[0];
        this.resultType = resultType;
    }

    static KeyExpression compile(String source, Method method) {
        return compile(source, method, null);
    }

    /**
     * Compiles an expression; with a result type, a condition on the result: {@code #result}, the value at index 0 of
     * the evaluated array, is its only variable.
     */
    static KeyExpression compile(String source, Method method, Type resultType) {
        List<Part> parts = Parser.parse(source);
        ExpressionCompiler compiler = new ExpressionCompiler(source, method, resultType);
        if (parts.size() == 1) {
            Part part = parts.get(0);
            return part instanceof Literal literal
                    ? new LiteralExpression(source, literal.value())
                    : compiler.chain((Chain) part, source);
        }
        List<Object> compiled = new ArrayList<>();
        for (Part part : parts) {
            if (part instanceof Literal literal) {
                int last = compiled.size() - 1;
                if (last >= 0 && compiled.get(last) instanceof String previous) {
                    compiled.set(last, previous + literal.value()); // 'a' + 'b' is one literal
                } else {
                    compiled.add(literal.value());
                }
            } else {
                compiled.add(compiler.chain((Chain) part, source.substring(part.start(), part.end())));
            }
        }
        return new ConcatenationExpression(source, compiled);
    }

    private ChainExpression chain(Chain chain, String text) {
        int index = parameterIndex(chain);
        Type type = resultType != null ? resultType : parameters[index].getParameterizedType();
        List<ChainExpression.Step> steps = new ArrayList<>();
        int receiverEnd = chain.nameEnd();
        for (Parser.Step step : chain.steps()) {
            Class<?> receiverType = erase(type);
            Function<Object, Object> accessor;
            if (step.kind() == StepKind.INDEX) {
                accessor = index(step, type, receiverType);
                type = elementType(type, receiverType);
            } else {
                Member member = member(step, receiverType);
                if (member != null) {
                    accessor = accessor(step, member, receiverType);
                    type = member instanceof Method method
                            ? method.getGenericReturnType()
                            : ((Field) member).getGenericType();
                } else if (isArrayLength(step, receiverType)) {
                    accessor = Array::getLength;
                    type = int.class;
                } else if (Members.isOpen(receiverType)) {
                    accessor = new RuntimeResolvedAccessor(runtimeType -> memberAtRuntime(step, runtimeType));
                    type = Object.class;
                } else {
                    throw Errors.at(source, step.at(), unknownMember(step, receiverType));
                }
            }
            String receiver = source.substring(chain.start(), receiverEnd);
            Class<?> declaredType = accessor instanceof RuntimeResolvedAccessor ? null : receiverType;
            steps.add(new ChainExpression.Step(accessor, step.nullSafe(), receiver, declaredType));
            receiverEnd = step.end();
        }
        return new ChainExpression(text, index, steps);
    }

    private int parameterIndex(Chain chain) {
        String name = chain.name();
        if (resultType != null) {
            if (name.equals("result")) {
                return 0; // in a condition on the result, #result is the result, as in Spring's caches
            }
            throw Errors.at(source, chain.start(), "#" + name + " is not available here: a condition on the result "
                    + "reads only #result");
        }
        boolean namesPresent = parameters.length > 0 && parameters[0].isNamePresent();
        if (namesPresent) {
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i].getName().equals(name)) {
                    return i;
                }
            }
        }
        Matcher positional = POSITIONAL.matcher(name);
        if (positional.matches()) {
            String digits = positional.group(1);
            if (digits.length() > 9 || Integer.parseInt(digits) >= parameters.length) {
                throw Errors.at(source, chain.start(), "parameter index " + digits
                        + " is out of range (the method has " + parameters.length + " parameters)");
            }
            return Integer.parseInt(digits);
        }
        if (parameters.length == 0) {
            throw Errors.at(source, chain.start(), "no parameter named '" + name + "' (the method has no parameters)");
        }
        if (!namesPresent) {
            throw Errors.at(source, chain.start(), "no parameter named '" + name + "': parameter names are not"
                    + " available; compile with -parameters or use #p0, #p1, ...");
        }
        String names = Stream.of(parameters).map(Parameter::getName).collect(Collectors.joining(", "));
        throw Errors.at(source, chain.start(), "no parameter named '" + name + "' (parameters: " + names + ")");
    }

    private static Member member(Parser.Step step, Class<?> type) {
        return step.kind() == StepKind.PROPERTY
                ? Members.property(type, step.name())
                : Members.method(type, step.name());
    }

    private static boolean isArrayLength(Parser.Step step, Class<?> type) {
        return type.isArray() && step.kind() == StepKind.PROPERTY && step.name().equals("length");
    }

    private Function<Object, Object> accessor(Parser.Step step, Member member, Class<?> type) {
        Function<Object, Object> accessor =
                member instanceof Method method ? Accessors.method(method) : Accessors.field((Field) member);
        if (accessor == null) {
            throw Errors.at(source, step.at(), "cannot access " + (member instanceof Method ? "method '" : "field '")
                    + member.getName() + "' of " + Members.describe(type));
        }
        return accessor;
    }

    /** Resolves a member step against a value's class, for the runtime cache; a missing member throws on use. */
    private Function<Object, Object> memberAtRuntime(Parser.Step step, Class<?> type) {
        Member member = member(step, type);
        if (member == null && isArrayLength(step, type)) {
            return Array::getLength;
        }
        if (member == null) {
            return failing(Errors.at(source, step.at(), unknownMember(step, type)).getMessage());
        }
        try {
            return accessor(step, member, type);
        } catch (IllegalArgumentException e) {
            return failing(e.getMessage());
        }
    }

    private static String unknownMember(Parser.Step step, Class<?> type) {
        if (step.kind() == StepKind.PROPERTY) {
            return "unknown property '" + step.name() + "' on " + Members.describe(type);
        }
        if (Members.hasMethodWithArguments(type, step.name())) {
            return "method '" + step.name() + "' on " + Members.describe(type)
                    + " takes arguments; only zero-argument methods are supported";
        }
        return "unknown method '" + step.name() + "()' on " + Members.describe(type);
    }

    private Function<Object, Object> index(Parser.Step step, Type genericType, Class<?> type) {
        if (Map.class.isAssignableFrom(type)) {
            checkMapKey(step, genericType);
        }
        Function<Object, Object> accessor = indexAccessor(step, type);
        if (accessor != null) {
            return accessor;
        }
        if (Members.isOpen(type)) {
            return new RuntimeResolvedAccessor(runtimeType -> {
                Function<Object, Object> resolved = indexAccessor(step, runtimeType);
                return resolved != null
                        ? resolved
                        : failing(Errors.at(source, step.at(), notIndexable(runtimeType)).getMessage());
            });
        }
        throw Errors.at(source, step.at(), notIndexable(type));
    }

    /** The accessor for an index on an array, a list or a map; null for another type. */
    private Function<Object, Object> indexAccessor(Parser.Step step, Class<?> type) {
        Object key = step.index();
        if (Map.class.isAssignableFrom(type)) {
            return Indexes.map(key);
        }
        boolean array = type.isArray();
        if (!array && !List.class.isAssignableFrom(type)) {
            return null;
        }
        if (!(key instanceof Integer position)) {
            throw Errors.at(source, step.at(), "a quoted key needs a map, but " + Members.describe(type)
                    + " takes an integer index");
        }
        if (!array) {
            return Indexes.list(position);
        }
        return type.getComponentType().isPrimitive() ? Indexes.primitiveArray(position) : Indexes.objectArray(position);
    }

    /**
     * Refuses an index that no key of the map's declared key type can equal: {@code [0]} looks up the Integer 0, which
     * a {@code Map<String, V>} never holds, so the key would be missing on every call, silently (with
     * {@code keyRequired = false}, the method would run unprotected every time). SpEL would convert the index to the
     * key type instead; refusing keeps every expression that compiles meaning what it means in SpEL.
     */
    private void checkMapKey(Parser.Step step, Type mapType) {
        Type declaredKey = TypeArguments.of(mapType, Map.class, 0);
        if (declaredKey == null) {
            return; // a raw map: any key may be there
        }
        Class<?> keyType = erase(declaredKey);
        Object key = step.index();
        if (keyType.isInstance(key)) {
            return;
        }
        String keys = "a map with " + keyType.getTypeName() + " keys";
        if (key instanceof Integer && keyType.isInstance(String.valueOf(key))) {
            throw Errors.at(source, step.at(), keys + " never holds the Integer " + key + "; quote the key: ['"
                    + key + "']");
        }
        if (key instanceof String text && keyType.isAssignableFrom(Integer.class) && text.matches("[0-9]{1,9}")) {
            throw Errors.at(source, step.at(), keys + " never holds the String '" + text
                    + "'; write an integer index: [" + text + "]");
        }
        throw Errors.at(source, step.at(), keys + " never holds the " + (key instanceof Integer ? "Integer " + key
                : "String '" + key + "'") + " (an index looks up an Integer, a quoted key a String)");
    }

    private static String notIndexable(Class<?> type) {
        return "cannot index into " + Members.describe(type) + " (only arrays, lists and maps)";
    }

    /** Throws when called: a member a runtime class turned out not to have, or not to let us reach. */
    private static Function<Object, Object> failing(String message) {
        return receiver -> {
            throw new IllegalArgumentException(message);
        };
    }

    /** The static type of {@code [i]} on a value of this type, or Object where the declaration does not say. */
    private static Type elementType(Type type, Class<?> raw) {
        if (raw.isArray()) {
            return type instanceof GenericArrayType generic
                    ? generic.getGenericComponentType()
                    : raw.getComponentType();
        }
        if (type instanceof ParameterizedType parameterized) {
            Type[] arguments = parameterized.getActualTypeArguments();
            if (parameterized.getRawType() == List.class) {
                return arguments[0];
            }
            if (parameterized.getRawType() == Map.class) {
                return arguments[1];
            }
        }
        return Object.class;
    }

    private static Class<?> erase(Type type) {
        if (type instanceof Class<?> plain) {
            return plain;
        }
        if (type instanceof ParameterizedType parameterized) {
            return erase(parameterized.getRawType());
        }
        if (type instanceof GenericArrayType array) {
            return erase(array.getGenericComponentType()).arrayType();
        }
        if (type instanceof WildcardType wildcard) {
            return erase(wildcard.getUpperBounds()[0]);
        }
        if (type instanceof TypeVariable<?> variable) {
            return erase(variable.getBounds()[0]);
        }
        return Object.class;
    }
}
