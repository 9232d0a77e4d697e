package dev.idem.core.internal.expression;

import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;

/** Finds the public member that a {@code .prop} or {@code .method()} step names on a class, in SpEL's order. */
final class Members {
    private Members() {
    }

    /**
     * The member read by {@code .name}: a getter {@code getName()}, then {@code isName()} returning a boolean, then a
     * record accessor or other method {@code name()}, then a public field {@code name}.
     *
     * @return a {@link Method} or a {@link Field}, or null if the class has none of them
     */
    static Member property(Class<?> type, String name) {
        String capitalized = Character.toUpperCase(name.charAt(0)) + name.substring(1);
        Method getter = method(type, "get" + capitalized);
        if (getter != null) {
            return getter;
        }
        Method is = method(type, "is" + capitalized);
        if (is != null && (is.getReturnType() == boolean.class || is.getReturnType() == Boolean.class)) {
            return is;
        }
        Method plain = method(type, name);
        if (plain != null) {
            return plain;
        }
        try {
            Field field = type.getField(name);
            return Modifier.isStatic(field.getModifiers()) ? null : field;
        } catch (NoSuchFieldException e) {
            return null;
        }
    }

    /**
     * A public, non-static, non-void method without parameters, including those inherited; for an interface also
     * those of {@code Object}, which every implementation has.
     *
     * @return the method, or null
     */
    static Method method(Class<?> type, String name) {
        Method method = find(type, name);
        if (method == null && type.isInterface()) {
            method = find(Object.class, name);
        }
        return method;
    }

    /** Whether the class has a public method of this name that takes arguments, to explain a failed lookup. */
    static boolean hasMethodWithArguments(Class<?> type, String name) {
        return Arrays.stream(type.getMethods()).anyMatch(m -> m.getName().equals(name) && m.getParameterCount() > 0);
    }

    private static Method find(Class<?> type, String name) {
        try {
            Method method = type.getMethod(name);
            if (Modifier.isStatic(method.getModifiers()) || method.getReturnType() == void.class) {
                return null;
            }
            return method;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /**
     * Whether a value whose static type is this class may be of a subclass that has members the class lacks, so that
     * a missing member must be looked up on each value's class instead of failing at compile time.
     */
    static boolean isOpen(Class<?> type) {
        return !type.isPrimitive() && !type.isArray() && !Modifier.isFinal(type.getModifiers());
    }

    /** A type's name for messages: {@code int}, {@code java.lang.String[]}, {@code dev.x.Outer$Inner}. */
    static String describe(Class<?> type) {
        return type.getTypeName();
    }
}
