package dev.idem.core;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/**
 * Captures a generic type such as {@code List<Order>} for the programmatic API, so that a shared store decodes a
 * replayed outcome as that type: {@code new TypeRef<List<Order>>() {}}.
 *
 * @param <T> the captured type
 */
public abstract class TypeRef<T> {
    private final Type type;

    /** Captures the type argument of the anonymous subclass. */
    protected TypeRef() {
        Type superclass = getClass().getGenericSuperclass();
        if (!(superclass instanceof ParameterizedType parameterized)) {
            throw new IllegalArgumentException("create a TypeRef as an anonymous subclass with a type argument: "
                    + "new TypeRef<List<Order>>() {}");
        }
        this.type = parameterized.getActualTypeArguments()[0];
    }

    /**
     * The captured type.
     *
     * @return the type
     */
    public final Type type() {
        return type;
    }

    @Override
    public String toString() {
        return "TypeRef<" + type.getTypeName() + ">";
    }
}
