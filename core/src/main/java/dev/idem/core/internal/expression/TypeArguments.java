package dev.idem.core.internal.expression;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.HashMap;
import java.util.Map;

/**
 * Finds what a declared type says about a type parameter of one of its supertypes: the {@code K} of {@code Map<K, V>}
 * for a parameter declared {@code Map<String, Item>}, {@code TreeMap<String, Item>} or
 * {@code class Catalog extends HashMap<String, Item>}, following each class's supertypes and substituting their type
 * variables on the way.
 */
final class TypeArguments {
    private TypeArguments() {
    }

    /**
     * The type argument of {@code target} at {@code index} as {@code type} binds it.
     *
     * @return the type argument, possibly a type variable or a wildcard; null where the declaration does not bind it
     *     (a raw type) or {@code type} is no {@code target}
     */
    static Type of(Type type, Class<?> target, int index) {
        return of(type, target, index, Map.of());
    }

    private static Type of(Type type, Class<?> target, int index, Map<TypeVariable<?>, Type> outer) {
        Class<?> raw = raw(type);
        if (raw == null || !target.isAssignableFrom(raw)) {
            return null;
        }
        Map<TypeVariable<?>, Type> bindings = new HashMap<>();
        if (type instanceof ParameterizedType parameterized) {
            TypeVariable<?>[] variables = raw.getTypeParameters();
            Type[] arguments = parameterized.getActualTypeArguments();
            for (int i = 0; i < variables.length && i < arguments.length; i++) {
                bindings.put(variables[i], substitute(arguments[i], outer));
            }
        }
        if (raw == target) {
            return bindings.get(raw.getTypeParameters()[index]);
        }
        for (Type supertype : raw.getGenericInterfaces()) {
            Type found = of(supertype, target, index, bindings);
            if (found != null) {
                return found;
            }
        }
        Type superclass = raw.getGenericSuperclass();
        return superclass == null ? null : of(superclass, target, index, bindings);
    }

    /** A type variable bound by the subtype, replaced by what the subtype binds it to; anything else unchanged. */
    private static Type substitute(Type type, Map<TypeVariable<?>, Type> bindings) {
        return type instanceof TypeVariable<?> variable && bindings.containsKey(variable)
                ? bindings.get(variable)
                : type;
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> plain) {
            return plain;
        }
        if (type instanceof ParameterizedType parameterized && parameterized.getRawType() instanceof Class<?> plain) {
            return plain;
        }
        return null;
    }
}
