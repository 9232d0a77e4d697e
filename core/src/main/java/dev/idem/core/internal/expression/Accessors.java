package dev.idem.core.internal.expression;

import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodHandles.Lookup;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.function.Function;

/**
 * Turns a reflected getter, method or field into a {@code Function<Object, Object>} that calls it without reflection.
 *
 * <p>Methods become lambdas spun by {@link LambdaMetafactory}, which the JIT inlines like a hand-written call. The
 * spun class is a nestmate of its lookup class, so it can only name the classes that class can see: the lookup is
 * taken on the member's own declaring class ({@link MethodHandles#privateLookupIn}), which works for any class of an
 * unnamed or open module, whichever class loader defined it. Classes of the JDK and of other named modules are not
 * open, so their public members are spun with this package's lookup instead, when this package's class loader can
 * see them. When no lambda can be spun (the metafactory wants full privilege access, which a lookup across modules
 * lacks), the accessor is a method handle resolved once, here; fields are always method handles. Any failure falls
 * back to the next option; only a member that cannot be reached at all is an error.
 *
 * <p>Accessors do not wrap exceptions: what the getter throws, the caller sees.
 */
final class Accessors {
    private static final Lookup LOOKUP = MethodHandles.lookup();
    private static final MethodType OBJECT_TO_OBJECT = MethodType.methodType(Object.class, Object.class);

    private Accessors() {
    }

    /**
     * An accessor calling a public, non-static, zero-argument method.
     *
     * @return the accessor, or null if the method cannot be reached
     */
    static Function<Object, Object> method(Method method) {
        MethodHandle handle = null;
        Lookup ownerLookup = privateLookup(method.getDeclaringClass());
        if (ownerLookup != null) {
            handle = unreflect(ownerLookup, method);
            Function<Object, Object> lambda = spin(ownerLookup, handle, method.getDeclaringClass());
            if (lambda != null) {
                return lambda;
            }
        }
        Method visible = publicDeclaration(method);
        if (visible != null && visibleHere(visible.getDeclaringClass())) {
            MethodHandle publicHandle = unreflect(LOOKUP, visible);
            Function<Object, Object> lambda = spin(LOOKUP, publicHandle, visible.getDeclaringClass());
            if (lambda != null) {
                return lambda;
            }
            handle = handle != null ? handle : publicHandle;
        }
        if (handle == null && visible != null) {
            handle = unreflect(MethodHandles.publicLookup(), visible);
        }
        if (handle == null && trySetAccessible(method)) {
            handle = unreflect(LOOKUP, method);
        }
        return handle == null ? null : new HandleAccessor(handle.asType(OBJECT_TO_OBJECT));
    }

    /**
     * An accessor reading a public, non-static field.
     *
     * @return the accessor, or null if the field cannot be reached
     */
    static Function<Object, Object> field(Field field) {
        MethodHandle handle = null;
        Lookup ownerLookup = privateLookup(field.getDeclaringClass());
        if (ownerLookup != null) {
            handle = unreflectGetter(ownerLookup, field);
        }
        if (handle == null) {
            handle = unreflectGetter(MethodHandles.publicLookup(), field);
        }
        if (handle == null && trySetAccessible(field)) {
            handle = unreflectGetter(LOOKUP, field);
        }
        return handle == null ? null : new HandleAccessor(handle.asType(OBJECT_TO_OBJECT));
    }

    private static Lookup privateLookup(Class<?> type) {
        try {
            return MethodHandles.privateLookupIn(type, LOOKUP);
        } catch (IllegalAccessException | RuntimeException e) {
            return null; // a class of a module that is not open to us, such as java.base
        }
    }

    private static MethodHandle unreflect(Lookup lookup, Method method) {
        try {
            return lookup.unreflect(method);
        } catch (IllegalAccessException | RuntimeException e) {
            return null;
        }
    }

    private static MethodHandle unreflectGetter(Lookup lookup, Field field) {
        try {
            return lookup.unreflectGetter(field);
        } catch (IllegalAccessException | RuntimeException e) {
            return null;
        }
    }

    private static boolean trySetAccessible(java.lang.reflect.AccessibleObject member) {
        try {
            return member.trySetAccessible();
        } catch (RuntimeException e) {
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private static Function<Object, Object> spin(Lookup lookup, MethodHandle handle, Class<?> receiver) {
        if (handle == null || !lookup.hasFullPrivilegeAccess()) {
            return null;
        }
        try {
            CallSite site = LambdaMetafactory.metafactory(lookup, "apply", MethodType.methodType(Function.class),
                    OBJECT_TO_OBJECT, handle, MethodType.methodType(Object.class, receiver));
            return (Function<Object, Object>) site.getTarget().invokeExact();
        } catch (Throwable e) { // LambdaConversionException, LinkageError, ...: fall back to the handle
            return null;
        }
    }

    /**
     * The same method as declared by a public class or interface in an exported package, for methods of classes that
     * are not accessible themselves (a JDK collection's {@code size()} on its private implementation class, say).
     */
    private static Method publicDeclaration(Method method) {
        if (isAccessibleType(method.getDeclaringClass())) {
            return method;
        }
        return publicDeclaration(method.getDeclaringClass(), method.getName());
    }

    private static Method publicDeclaration(Class<?> type, String name) {
        if (type == null) {
            return null;
        }
        if (isAccessibleType(type)) {
            try {
                Method candidate = type.getMethod(name);
                if (isAccessibleType(candidate.getDeclaringClass())) {
                    return candidate;
                }
            } catch (NoSuchMethodException e) {
                // not declared here; look further up
            }
        }
        for (Class<?> supertype : type.getInterfaces()) {
            Method found = publicDeclaration(supertype, name);
            if (found != null) {
                return found;
            }
        }
        return publicDeclaration(type.getSuperclass(), name);
    }

    private static boolean isAccessibleType(Class<?> type) {
        if (!Modifier.isPublic(type.getModifiers())) {
            return false;
        }
        for (Class<?> outer = type.getEnclosingClass(); outer != null; outer = outer.getEnclosingClass()) {
            if (!Modifier.isPublic(outer.getModifiers())) {
                return false;
            }
        }
        return type.getModule().isExported(type.getPackageName());
    }

    /** Whether a lambda spun in this package could name the type: the same class, seen from this class loader. */
    private static boolean visibleHere(Class<?> type) {
        try {
            return Class.forName(type.getName(), false, Accessors.class.getClassLoader()) == type;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Calls a method handle resolved at compile time; for what no lambda can be spun for. */
    private static final class HandleAccessor implements Function<Object, Object> {
        private final MethodHandle handle;

        HandleAccessor(MethodHandle handle) {
            this.handle = handle;
        }

        @Override
        public Object apply(Object receiver) {
            try {
                return (Object) handle.invokeExact(receiver);
            } catch (Throwable e) {
                throw Accessors.<RuntimeException>sneakyThrow(e);
            }
        }
    }

    /** Rethrows what the member threw, checked or not, unchanged. */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneakyThrow(Throwable e) throws T {
        throw (T) e;
    }
}
