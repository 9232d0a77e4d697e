package dev.idem.core.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.ser.Serializers;
import com.fasterxml.jackson.databind.type.ArrayType;
import com.fasterxml.jackson.databind.type.CollectionLikeType;
import com.fasterxml.jackson.databind.type.CollectionType;
import com.fasterxml.jackson.databind.type.MapLikeType;
import com.fasterxml.jackson.databind.type.MapType;
import com.fasterxml.jackson.databind.type.ReferenceType;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.Spliterator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.BaseStream;

/**
 * The serializers that make Jackson's output a canonical form (see {@link Canonical} for the form itself): typed
 * numbers, maps with typed keys, sets and maps in an order of their own, holders counted as a level, values that
 * can be read only once refused. Everything else (beans, records, strings, java.time) is Jackson's own.
 *
 * <p>Jackson asks these serializers first, for declared and for run-time types, so the choice is made by the class
 * of the value. Collections are dispatched at run time ({@code instanceof Set}) rather than by class lookup: which
 * interface a lookup meets first depends on the JDK ({@code LinkedHashSet} is a {@code SequencedCollection} on
 * Java 21), and a set must never be written as a list.
 */
final class CanonicalSerializers extends Serializers.Base {

    /** How a value becomes text, for the tagged forms. */
    @FunctionalInterface
    private interface Text {
        String of(Object value);
    }

    /** Writes a value as {@code #tag(text)}. */
    private static final class Tagged extends JsonSerializer<Object> {
        private final String tag;
        private final Text text;

        Tagged(String tag, Text text) {
            this.tag = tag;
            this.text = text;
        }

        @Override
        public void serialize(Object value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeRawValue(tagged(tag, text.of(value)));
        }
    }

    /** A serializer as a lambda. */
    @FunctionalInterface
    private interface Writing {
        void write(Object value, JsonGenerator gen, SerializerProvider provider) throws IOException;
    }

    private static JsonSerializer<Object> serializer(Writing writing) {
        return new JsonSerializer<>() {
            @Override
            public void serialize(Object value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                writing.write(value, gen, provider);
            }
        };
    }

    private static final JsonSerializer<Object> LONG = new Tagged("long", String::valueOf);
    private static final JsonSerializer<Object> SHORT = new Tagged("short", String::valueOf);
    private static final JsonSerializer<Object> BYTE = new Tagged("byte", String::valueOf);
    private static final JsonSerializer<Object> FLOAT = new Tagged("float",
            value -> NumberOutput.toString((Float) value, true));
    private static final JsonSerializer<Object> BIG_INTEGER = new Tagged("biginteger", String::valueOf);
    private static final JsonSerializer<Object> BIG_DECIMAL = new Tagged("bigdecimal",
            value -> Canonical.decimal((BigDecimal) value));
    private static final JsonSerializer<Object> ATOMIC_LONG = new Tagged("long",
            value -> Long.toString(((AtomicLong) value).get()));

    private static final JsonSerializer<Object> LONGS = serializer((value, gen, provider) -> {
        long[] array = (long[]) value;
        gen.writeStartArray(array, array.length);
        for (long element : array) {
            gen.writeRawValue(tagged("long", Long.toString(element)));
        }
        gen.writeEndArray();
    });
    private static final JsonSerializer<Object> SHORTS = serializer((value, gen, provider) -> {
        short[] array = (short[]) value;
        gen.writeStartArray(array, array.length);
        for (short element : array) {
            gen.writeRawValue(tagged("short", Short.toString(element)));
        }
        gen.writeEndArray();
    });
    private static final JsonSerializer<Object> FLOATS = serializer((value, gen, provider) -> {
        float[] array = (float[]) value;
        gen.writeStartArray(array, array.length);
        for (float element : array) {
            gen.writeRawValue(tagged("float", NumberOutput.toString(element, true)));
        }
        gen.writeEndArray();
    });

    // Holders are their content (an empty one is null); each counts as a level, so that a chain of holders is
    // bounded like any other nesting.
    private static final JsonSerializer<Object> OPTIONAL = serializer((value, gen, provider) ->
            writeHeld(value, ((Optional<?>) value).orElse(null), gen, provider));
    private static final JsonSerializer<Object> ATOMIC_REFERENCE = serializer((value, gen, provider) ->
            writeHeld(value, ((AtomicReference<?>) value).get(), gen, provider));
    private static final JsonSerializer<Object> OPTIONAL_INT = serializer((value, gen, provider) -> {
        OptionalInt optional = (OptionalInt) value;
        if (optional.isPresent()) {
            gen.writeNumber(optional.getAsInt());
        } else {
            gen.writeNull();
        }
    });
    private static final JsonSerializer<Object> OPTIONAL_LONG = serializer((value, gen, provider) -> {
        OptionalLong optional = (OptionalLong) value;
        if (optional.isPresent()) {
            gen.writeRawValue(tagged("long", Long.toString(optional.getAsLong())));
        } else {
            gen.writeNull();
        }
    });
    private static final JsonSerializer<Object> OPTIONAL_DOUBLE = serializer((value, gen, provider) -> {
        OptionalDouble optional = (OptionalDouble) value;
        if (optional.isPresent()) {
            gen.writeNumber(optional.getAsDouble());
        } else {
            gen.writeNull();
        }
    });

    private static final JsonSerializer<Object> MAP = serializer((value, gen, provider) ->
            writeEntries(value, ((Map<?, ?>) value).entrySet(), gen, provider));
    private static final JsonSerializer<Object> MAP_ENTRY = serializer((value, gen, provider) ->
            writeEntries(value, List.of((Map.Entry<?, ?>) value), gen, provider));
    private static final JsonSerializer<Object> COLLECTION = serializer(CanonicalSerializers::writeCollection);
    private static final JsonSerializer<Object> READ_ONCE = serializer((value, gen, provider) -> {
        throw new NoCanonicalFormException("a " + value.getClass().getName()
                + " can be read only once: writing its canonical form would use it up");
    });

    /** A bean snapshot is its bean: the form Jackson's bean serializer writes (see {@link Snapshots}). */
    private static final JsonSerializer<Object> BEAN_SNAPSHOT = serializer((value, gen, provider) ->
            Snapshots.write((Snapshots.Bean) value, gen, provider));

    private static final Map<Class<?>, JsonSerializer<Object>> BY_CLASS = byClass();

    private static Map<Class<?>, JsonSerializer<Object>> byClass() {
        Map<Class<?>, JsonSerializer<Object>> map = new HashMap<>();
        map.put(Long.class, LONG);
        map.put(long.class, LONG);
        map.put(Short.class, SHORT);
        map.put(short.class, SHORT);
        map.put(Byte.class, BYTE);
        map.put(byte.class, BYTE);
        map.put(Float.class, FLOAT);
        map.put(float.class, FLOAT);
        map.put(BigInteger.class, BIG_INTEGER);
        map.put(BigDecimal.class, BIG_DECIMAL);
        map.put(AtomicLong.class, ATOMIC_LONG);
        map.put(long[].class, LONGS);
        map.put(short[].class, SHORTS);
        map.put(float[].class, FLOATS);
        map.put(Optional.class, OPTIONAL);
        map.put(OptionalInt.class, OPTIONAL_INT);
        map.put(OptionalLong.class, OPTIONAL_LONG);
        map.put(OptionalDouble.class, OPTIONAL_DOUBLE);
        map.put(AtomicReference.class, ATOMIC_REFERENCE);
        map.put(Snapshots.Bean.class, BEAN_SNAPSHOT);
        return Map.copyOf(map);
    }

    /** The canonical token {@code #tag(text)}: no JSON value starts with {@code #}, so it equals no JSON value. */
    static String tagged(String tag, String text) {
        return "#" + tag + "(" + text + ")";
    }

    private static JsonSerializer<Object> choose(Class<?> type) {
        JsonSerializer<Object> serializer = BY_CLASS.get(type);
        if (serializer != null) {
            return serializer;
        }
        if (Map.class.isAssignableFrom(type)) {
            return MAP;
        }
        if (Collection.class.isAssignableFrom(type)) {
            return COLLECTION;
        }
        if (Map.Entry.class.isAssignableFrom(type)) {
            return MAP_ENTRY; // Jackson would write the key as a field name, as text, losing its type
        }
        if (BaseStream.class.isAssignableFrom(type) || Iterator.class.isAssignableFrom(type)
                || Spliterator.class.isAssignableFrom(type) || Enumeration.class.isAssignableFrom(type)) {
            return READ_ONCE;
        }
        if (Number.class.isAssignableFrom(type) && type != Integer.class && type != Double.class
                && type != AtomicInteger.class) {
            // Jackson would write any other number as a bare number, equal to an Integer or a Double of the same
            // digits: tag it with its class (Integer, Double and AtomicInteger are Jackson's own bare numbers).
            String tag = type.getName();
            return new Tagged(tag, String::valueOf);
        }
        return null;
    }

    private static void writeHeld(Object holder, Object content, JsonGenerator gen, SerializerProvider provider)
            throws IOException {
        CanonicalWalk walk = CanonicalWalk.of(provider);
        walk.enter(holder);
        provider.defaultSerializeValue(content, gen);
        walk.exit();
    }

    /**
     * A map (or one entry) as {@code #map{key:value,...}}: keys are written as canonical values like any other, so
     * they keep their type ({@code 1}, {@code #long(1)}, {@code "1"} and {@code null} are four keys). Entries are
     * sorted by their canonical text, and entries with equal texts are all kept (two keys that differ by
     * {@code equals} but not by value, like {@code 1.0} and {@code 1.00}, never merge).
     */
    private static void writeEntries(Object map, Collection<? extends Map.Entry<?, ?>> entries, JsonGenerator gen,
            SerializerProvider provider) throws IOException {
        CanonicalWalk walk = CanonicalWalk.of(provider);
        walk.enter(map);
        List<String> texts = new ArrayList<>(entries.size());
        try (CanonicalWalk.Texts writer = walk.texts(provider)) {
            for (Map.Entry<?, ?> entry : entries) {
                texts.add(writer.text(entry.getKey()) + ':' + writer.text(entry.getValue()));
            }
        }
        walk.exit();
        gen.writeRawValue(joined("#map{", texts, "}"));
    }

    /** A set as {@code #set[...]}, elements sorted by their canonical text; any other collection as a list. */
    private static void writeCollection(Object value, JsonGenerator gen, SerializerProvider provider)
            throws IOException {
        Collection<?> collection = (Collection<?>) value;
        if (collection instanceof Set<?>) {
            CanonicalWalk walk = CanonicalWalk.of(provider);
            walk.enter(collection);
            List<String> texts = new ArrayList<>(collection.size());
            try (CanonicalWalk.Texts writer = walk.texts(provider)) {
                for (Object element : collection) {
                    texts.add(writer.text(element));
                }
            }
            walk.exit();
            gen.writeRawValue(joined("#set[", texts, "]"));
            return;
        }
        gen.writeStartArray(collection, collection.size());
        for (Object element : collection) {
            provider.defaultSerializeValue(element, gen);
        }
        gen.writeEndArray();
    }

    private static String joined(String open, List<String> texts, String close) {
        texts.sort(null);
        StringBuilder joined = new StringBuilder(open);
        for (int i = 0; i < texts.size(); i++) {
            if (i > 0) {
                joined.append(',');
            }
            joined.append(texts.get(i));
        }
        return joined.append(close).toString();
    }

    @Override
    public JsonSerializer<?> findSerializer(SerializationConfig config, JavaType type, BeanDescription beanDesc) {
        return choose(type.getRawClass());
    }

    @Override
    public JsonSerializer<?> findReferenceSerializer(SerializationConfig config, ReferenceType type,
            BeanDescription beanDesc, TypeSerializer contentTypeSerializer,
            JsonSerializer<Object> contentValueSerializer) {
        return choose(type.getRawClass());
    }

    @Override
    public JsonSerializer<?> findArraySerializer(SerializationConfig config, ArrayType type, BeanDescription beanDesc,
            TypeSerializer elementTypeSerializer, JsonSerializer<Object> elementValueSerializer) {
        return choose(type.getRawClass());
    }

    @Override
    public JsonSerializer<?> findCollectionSerializer(SerializationConfig config, CollectionType type,
            BeanDescription beanDesc, TypeSerializer elementTypeSerializer,
            JsonSerializer<Object> elementValueSerializer) {
        return COLLECTION;
    }

    @Override
    public JsonSerializer<?> findCollectionLikeSerializer(SerializationConfig config, CollectionLikeType type,
            BeanDescription beanDesc, TypeSerializer elementTypeSerializer,
            JsonSerializer<Object> elementValueSerializer) {
        return choose(type.getRawClass());
    }

    @Override
    public JsonSerializer<?> findMapSerializer(SerializationConfig config, MapType type, BeanDescription beanDesc,
            JsonSerializer<Object> keySerializer, TypeSerializer elementTypeSerializer,
            JsonSerializer<Object> elementValueSerializer) {
        return MAP;
    }

    @Override
    public JsonSerializer<?> findMapLikeSerializer(SerializationConfig config, MapLikeType type,
            BeanDescription beanDesc, JsonSerializer<Object> keySerializer, TypeSerializer elementTypeSerializer,
            JsonSerializer<Object> elementValueSerializer) {
        return choose(type.getRawClass());
    }
}
