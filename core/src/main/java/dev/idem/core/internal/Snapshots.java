package dev.idem.core.internal;

import java.lang.annotation.Annotation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Frozen copies of payloads made of plain beans and value types, compared with a live payload without writing either
 * one's canonical form: the local store's replay checks its fingerprint this way, in a few field reads.
 *
 * <h2>What can be snapshot</h2>
 * A payload is null, a value that {@link Values#isDeeplyImmutable} accepts (kept as it is), the top-level
 * {@code Object[]} of a call's arguments, or a <em>plain bean</em>: an instance of an application class (not a JDK
 * one, not a collection, map, number, text, record, enum or array) whose hierarchy declares no Jackson (or
 * {@code java.beans}) annotation on the class, a field or a method, has no synthetic field and no field name twice,
 * and whose fields this library may read. Its canonical form is then Jackson's bean form, {@code {"name":value,...}}
 * over its non-static, non-transient fields in name order (see {@link Canonical}), so the snapshot keeps exactly those
 * fields, in that order, the beans among them as snapshots in turn, up to {@link #MAX_DEPTH} levels. Anything else
 * is not snapshot: its fingerprint is the canonical hash, as before.
 *
 * <h2>Sound, not complete</h2>
 * {@link #sameForm} answers true only when the canonical forms are equal: the same bean classes at the same places,
 * equal primitives (doubles and floats by their bits, as the form tells {@code -0.0} from {@code 0.0}) and value
 * leaves equal by {@link Values#valueEquals}. It answers false whenever it cannot tell, never only because the
 * payloads differ in a way the form ignores (a {@code BigDecimal} of another scale, another class with the same
 * properties); the caller then compares canonical hashes, which decide. A snapshot's canonical form (written by
 * {@link Canonical} through {@link #write}) is the form of the payload it was taken from.
 */
final class Snapshots {
    /** The deepest bean nesting that is snapshot; deeper payloads (or cyclic ones) fall back to the hash. */
    static final int MAX_DEPTH = 16;

    private static final int OBJECT = 0;
    private static final int LONG = 1;
    private static final int INT = 2;
    private static final int SHORT = 3;
    private static final int BYTE = 4;
    private static final int CHAR = 5;
    private static final int BOOLEAN = 6;
    private static final int DOUBLE = 7;
    private static final int FLOAT = 8;
    /** A field declared as a final value class (a {@code String}, a {@code Long}, a {@code UUID}, ...). */
    private static final int VALUE = 9;

    /** Final classes whose {@code equals} agrees with their canonical form both ways, and that hold nothing else. */
    private static final Set<Class<?>> FINAL_VALUES = Set.of(String.class, Long.class, Integer.class, Short.class,
            Byte.class, Character.class, Boolean.class, Double.class, Float.class, UUID.class,
            java.time.Instant.class, java.time.LocalDate.class, java.time.LocalDateTime.class,
            java.time.LocalTime.class, java.time.OffsetDateTime.class, java.time.ZonedDateTime.class,
            java.time.Duration.class);

    private static final MethodType AS_OBJECT = MethodType.methodType(Object.class, Object.class);

    /**
     * Whether Jackson may write a class otherwise than by its plain fields: a Jackson (or {@code java.beans})
     * annotation on it, on any of its superclasses or interfaces, or on a field or method of any of them (Jackson
     * merges annotations from supertypes, and an annotated getter can ignore or rename the field's property).
     */
    private static final ClassValue<Boolean> JACKSON_ANNOTATED = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            if (type.isPrimitive() || type.isArray()) {
                return type.isArray() && jacksonAnnotated(type.getComponentType());
            }
            if (Shape.hasJacksonAnnotation(type)) {
                return true;
            }
            for (Field field : type.getDeclaredFields()) {
                if (Shape.hasJacksonAnnotation(field)) {
                    return true;
                }
            }
            for (Method method : type.getDeclaredMethods()) {
                if (Shape.hasJacksonAnnotation(method)) {
                    return true;
                }
            }
            Class<?> superclass = type.getSuperclass();
            if (superclass != null && superclass != Object.class && jacksonAnnotated(superclass)) {
                return true;
            }
            for (Class<?> contract : type.getInterfaces()) {
                if (jacksonAnnotated(contract)) {
                    return true;
                }
            }
            return false;
        }
    };

    /** See {@link #JACKSON_ANNOTATED}. */
    static boolean jacksonAnnotated(Class<?> type) {
        return JACKSON_ANNOTATED.get(type);
    }

    /** A plain bean class's fields as the canonical form writes them, or null for any other class. */
    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            return Shape.of(type);
        }
    };

    private Snapshots() {
    }

    /** The shape of a plain bean class, or null if the class is not one (see the class description). */
    static Shape shapeOf(Class<?> type) {
        return SHAPES.get(type);
    }

    /** How to read a plain bean: its fields in name order, each with its kind and a getter. */
    static final class Shape {
        final Class<?> type;
        final String[] names;
        final int[] kinds;
        /** {@code (Object)X} for the field's own type X (a primitive stays unboxed). */
        final MethodHandle[] exact;
        /** {@code (Object)Object}, boxing primitives: for snapshots, made once per call that runs the body. */
        final MethodHandle[] boxed;
        /** Whether every field is a primitive or a {@link #VALUE}: any instance can be snapshot without a read. */
        final boolean flat;

        private Shape(Class<?> type, String[] names, int[] kinds, MethodHandle[] exact, MethodHandle[] boxed) {
            this.type = type;
            this.names = names;
            this.kinds = kinds;
            this.exact = exact;
            this.boxed = boxed;
            boolean flat = true;
            for (int kind : kinds) {
                flat &= kind != OBJECT;
            }
            this.flat = flat;
        }

        static Shape of(Class<?> type) {
            if (!isCandidate(type)) {
                return null;
            }
            if (jacksonAnnotated(type)) {
                return null;
            }
            List<Field> fields = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
                if (c.getName().startsWith("java.")) {
                    return null;
                }
                for (Field field : c.getDeclaredFields()) {
                    int modifiers = field.getModifiers();
                    if (Modifier.isStatic(modifiers)) {
                        continue;
                    }
                    if (field.isSynthetic() || !names.add(field.getName())
                            || (!field.getType().isPrimitive() && jacksonAnnotated(field.getType()))) {
                        // An outer instance, a name Jackson would find twice, or a declared type Jackson may treat
                        // in its own way (@JsonIgnoreType, say), even when the field is null.
                        return null;
                    }
                    if (!Modifier.isTransient(modifiers)) { // Jackson skips transient fields
                        fields.add(field);
                    }
                }
            }
            fields.sort(Comparator.comparing(Field::getName));
            int n = fields.size();
            String[] fieldNames = new String[n];
            int[] kinds = new int[n];
            MethodHandle[] exact = new MethodHandle[n];
            MethodHandle[] boxed = new MethodHandle[n];
            try {
                for (int i = 0; i < n; i++) {
                    Field field = fields.get(i);
                    MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(field.getDeclaringClass(),
                            MethodHandles.lookup());
                    MethodHandle getter = lookup.unreflectGetter(field);
                    Class<?> fieldType = field.getType();
                    fieldNames[i] = field.getName();
                    kinds[i] = kindOf(fieldType);
                    exact[i] = getter.asType(MethodType.methodType(
                            fieldType.isPrimitive() ? fieldType : Object.class, Object.class));
                    boxed[i] = getter.asType(AS_OBJECT);
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null; // a class this library may not read (a module that is not open): hashed instead
            }
            return new Shape(type, fieldNames, kinds, exact, boxed);
        }

        private static boolean isCandidate(Class<?> type) {
            if (type.isArray() || type.isPrimitive() || type.isInterface() || type.isEnum() || type.isRecord()
                    || type.isAnonymousClass() || type.isHidden() || Modifier.isAbstract(type.getModifiers())) {
                return false;
            }
            String name = type.getName();
            if (name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
                    || name.startsWith("sun.") || name.startsWith("com.sun.") || name.startsWith("kotlin.")
                    || name.startsWith("scala.") || name.startsWith("com.fasterxml.")) {
                return false;
            }
            // Types Jackson (or the canonical form) writes by other rules than a bean's.
            for (Class<?> special : new Class<?>[] {Iterable.class, java.util.Map.class, java.util.Map.Entry.class,
                    CharSequence.class, Number.class, Throwable.class, java.util.Iterator.class,
                    java.util.Spliterator.class, java.util.Enumeration.class, java.util.stream.BaseStream.class,
                    java.util.Optional.class, java.time.temporal.TemporalAccessor.class,
                    java.time.temporal.TemporalAmount.class, java.util.Calendar.class, java.util.Date.class,
                    java.util.TimeZone.class, java.nio.ByteBuffer.class, java.io.File.class, java.nio.file.Path.class,
                    java.net.InetAddress.class, java.util.concurrent.atomic.AtomicBoolean.class,
                    java.lang.reflect.Type.class, ClassLoader.class, Thread.class}) {
                if (special.isAssignableFrom(type)) {
                    return false;
                }
            }
            return true;
        }

        private static int kindOf(Class<?> type) {
            if (type == long.class) {
                return LONG;
            } else if (type == int.class) {
                return INT;
            } else if (type == short.class) {
                return SHORT;
            } else if (type == byte.class) {
                return BYTE;
            } else if (type == char.class) {
                return CHAR;
            } else if (type == boolean.class) {
                return BOOLEAN;
            } else if (type == double.class) {
                return DOUBLE;
            } else if (type == float.class) {
                return FLOAT;
            }
            return FINAL_VALUES.contains(type) ? VALUE : OBJECT;
        }

        static boolean hasJacksonAnnotation(AnnotatedElement element) {
            for (Annotation annotation : element.getDeclaredAnnotations()) {
                Class<? extends Annotation> type = annotation.annotationType();
                if (isJackson(type)) {
                    return true;
                }
                for (Annotation meta : type.getDeclaredAnnotations()) { // @JacksonAnnotationsInside and the like
                    if (isJackson(meta.annotationType())) {
                        return true;
                    }
                }
            }
            return false;
        }

        private static boolean isJackson(Class<? extends Annotation> type) {
            String name = type.getName();
            return name.startsWith("com.fasterxml.jackson.") || name.startsWith("java.beans.");
        }
    }

    /** A plain bean as it was when snapshot: its shape and its fields' values (beans among them as snapshots). */
    static final class Bean {
        final Shape shape;
        final Object[] values;

        Bean(Shape shape, Object[] values) {
            this.shape = shape;
            this.values = values;
        }
    }

    /**
     * Whether a payload can be snapshot (see the class description). Reads the payload and allocates nothing.
     *
     * @param payload any payload
     * @return true if {@link #snapshot} takes it
     */
    static boolean canSnapshot(Object payload) {
        if (payload instanceof Object[] array) {
            for (Object element : array) {
                if (!canSnapshot(element, 1)) {
                    return false;
                }
            }
            return true;
        }
        return canSnapshot(payload, 0);
    }

    private static boolean canSnapshot(Object value, int depth) {
        // The usual leaves first, without a class lookup (all three are final).
        if (value == null || value instanceof String || value instanceof Long || value instanceof Integer) {
            return true;
        }
        if (depth > MAX_DEPTH) {
            return false;
        }
        Shape shape = SHAPES.get(value.getClass());
        if (shape == null) {
            return Values.isLeafType(value.getClass())
                    || (!(value instanceof Object[]) && Values.isDeeplyImmutable(value));
        }
        if (shape.flat) {
            return true;
        }
        for (int i = 0; i < shape.kinds.length; i++) {
            if (shape.kinds[i] == OBJECT && !canSnapshot(read(shape.exact[i], value), depth + 1)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A frozen copy of a payload for which {@link #canSnapshot} is true: value leaves and immutable records as they
     * are, the argument array copied, beans as {@link Bean} snapshots.
     *
     * @param payload the payload
     * @return the snapshot
     */
    static Object snapshot(Object payload) {
        if (payload instanceof Object[] array) {
            Object[] copy = new Object[array.length];
            for (int i = 0; i < array.length; i++) {
                copy[i] = snapshotValue(array[i]);
            }
            return copy;
        }
        return snapshotValue(payload);
    }

    private static Object snapshotValue(Object value) {
        if (value == null) {
            return null;
        }
        Shape shape = SHAPES.get(value.getClass());
        if (shape == null) {
            return value; // a value leaf or a deeply immutable record
        }
        Object[] values = new Object[shape.boxed.length];
        for (int i = 0; i < values.length; i++) {
            Object field = read(shape.boxed[i], value);
            values[i] = shape.kinds[i] == OBJECT ? snapshotValue(field) : field;
        }
        return new Bean(shape, values);
    }

    /**
     * Whether a live payload has the canonical form of a snapshot, decided without writing either: true only if it
     * does; false if it does not, or if this cannot tell without the canonical form.
     *
     * @param snapshot a {@link #snapshot}
     * @param live any payload
     * @return true only if both have the same canonical form
     */
    static boolean sameForm(Object snapshot, Object live) {
        if (snapshot instanceof Object[] recorded) {
            if (!(live instanceof Object[] candidate) || candidate.length != recorded.length) {
                return false;
            }
            for (int i = 0; i < recorded.length; i++) {
                if (!sameValue(recorded[i], candidate[i])) {
                    return false;
                }
            }
            return true;
        }
        return sameValue(snapshot, live);
    }

    private static boolean sameValue(Object snapshot, Object live) {
        if (snapshot == null || live == null) {
            return snapshot == live;
        }
        if (!(snapshot instanceof Bean bean)) {
            return Values.valueEquals(snapshot, live);
        }
        Shape shape = bean.shape;
        if (live.getClass() != shape.type) {
            return false;
        }
        Object[] values = bean.values;
        MethodHandle[] getters = shape.exact;
        int[] kinds = shape.kinds;
        try {
            for (int i = 0; i < kinds.length; i++) {
                Object recorded = values[i];
                MethodHandle getter = getters[i];
                boolean same = switch (kinds[i]) {
                    case LONG -> (long) getter.invokeExact(live) == (Long) recorded;
                    case INT -> (int) getter.invokeExact(live) == (Integer) recorded;
                    case SHORT -> (short) getter.invokeExact(live) == (Short) recorded;
                    case BYTE -> (byte) getter.invokeExact(live) == (Byte) recorded;
                    case CHAR -> (char) getter.invokeExact(live) == (Character) recorded;
                    case BOOLEAN -> (boolean) getter.invokeExact(live) == (Boolean) recorded;
                    case DOUBLE -> Double.doubleToLongBits((double) getter.invokeExact(live))
                            == Double.doubleToLongBits((Double) recorded);
                    case FLOAT -> Float.floatToIntBits((float) getter.invokeExact(live))
                            == Float.floatToIntBits((Float) recorded);
                    case VALUE -> {
                        Object candidate = (Object) getter.invokeExact(live);
                        yield recorded == null ? candidate == null : recorded.equals(candidate);
                    }
                    default -> sameValue(recorded, (Object) getter.invokeExact(live));
                };
                if (!same) {
                    return false;
                }
            }
        } catch (Throwable e) {
            return false; // cannot tell: the canonical hash decides
        }
        return true;
    }

    private static Object read(MethodHandle getter, Object bean) {
        try {
            return (Object) getter.invokeExact(bean);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes a bean snapshot's canonical form: what Jackson's bean serializer writes for the bean it was taken from.
     *
     * @param bean the snapshot
     * @param gen the canonical generator
     * @param provider the write's provider
     * @throws java.io.IOException if writing fails
     */
    static void write(Bean bean, com.fasterxml.jackson.core.JsonGenerator gen,
            com.fasterxml.jackson.databind.SerializerProvider provider) throws java.io.IOException {
        gen.writeStartObject(bean);
        String[] names = bean.shape.names;
        for (int i = 0; i < names.length; i++) {
            gen.writeFieldName(names[i]);
            provider.defaultSerializeValue(bean.values[i], gen);
        }
        gen.writeEndObject();
    }
}
