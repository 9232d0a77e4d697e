package dev.idem.core.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.lang.reflect.Field;
import java.lang.reflect.Type;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Encodes outcomes for stores that do not keep objects, with Jackson and the method's generic return type: no type
 * names go into the stored bytes and nothing is deserialized polymorphically from the store. Thread-safe.
 *
 * <p>Configured so that common types come back equal: java.time values as ISO-8601 text, a {@code ZonedDateTime}
 * with its zone id and an {@code OffsetDateTime} with its offset (never adjusted to UTC on reading), durations as
 * ISO text; a {@code BigDecimal} keeps its scale (Jackson writes and reads its own text). An outcome should be
 * encoded with {@link #encodeVerified(Object, JavaType, Type)}: only a value that comes back equal may be recorded,
 * because a replay gets what decoding gives.
 */
public final class OutcomeCodec {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new Jdk8Module())
            .addModule(new JavaTimeModule())
            // Tolerant reading: a record written by an older version of the class (a field since removed) still
            // decodes; a field that is not read back is caught by the verification instead.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(SerializationFeature.WRITE_DATES_WITH_ZONE_ID)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            // The modules of the frameworks' result types on the class path (idem-spring: ResponseEntity)
            .addModules(ResultTypes.codecModules())
            .build();

    /** Per class: the names of the fields that Jackson both writes and reads back (as properties). */
    private static final ClassValue<Set<String>> CARRIED_FIELDS = new ClassValue<>() {
        @Override
        protected Set<String> computeValue(Class<?> type) {
            try {
                JavaType javaType = MAPPER.constructType(type);
                Set<String> carried = names(MAPPER.getSerializationConfig().introspect(javaType),
                        BeanPropertyDefinition::couldSerialize);
                carried.retainAll(names(MAPPER.getDeserializationConfig().introspect(javaType),
                        BeanPropertyDefinition::couldDeserialize));
                return Set.copyOf(carried);
            } catch (RuntimeException e) {
                return Set.of(); // not introspectable: nothing of it is known to be carried
            }
        }
    };

    private OutcomeCodec() {
    }

    /**
     * The Jackson type of a generic return type.
     *
     * @param type the type
     * @return the Jackson type
     */
    public static JavaType javaType(Type type) {
        return MAPPER.getTypeFactory().constructType(type);
    }

    /**
     * Encodes a value, without checking that it comes back equal (see {@link #encodeVerified(Object, JavaType)}).
     *
     * @param value the value
     * @param type its declared type
     * @return the bytes
     * @throws Exception if Jackson cannot write it
     */
    public static byte[] encode(Object value, JavaType type) throws Exception {
        return MAPPER.writerFor(type).writeValueAsBytes(value);
    }

    /**
     * Encodes a value only if decoding the bytes gives back an equal value of the declared type; see
     * {@link #encodeVerified(Object, JavaType, Type)}. Messages name the declared type as Jackson resolved it (a type
     * variable as its bound).
     *
     * @param value the value, possibly null
     * @param type its declared type
     * @return the bytes, which decode to a value equal to {@code value}
     * @throws IllegalArgumentException if the value cannot be written, its bytes cannot be read back, or they read
     *     back as a different value; the message says where and how
     */
    public static byte[] encodeVerified(Object value, JavaType type) {
        return encode(value, codec(type), type.toCanonical());
    }

    /**
     * Encodes a value only if decoding the bytes gives back an equal value of the declared type: the encoding is
     * verified once, when the outcome is recorded, so that no replay returns something else than the first call did
     * (a {@code LinkedHashMap} for a type variable, a default for state Jackson does not see, an {@code Integer} for
     * a {@code Long} held in an {@code Object} field).
     *
     * <p>Equal means equal by value, as {@code RoundTrip} compares: classes of collections may differ, classes of
     * other values may not; a {@code BigDecimal} keeps its scale; an object without {@code equals} is compared field
     * by field. The message of the exception names the first difference with its path, for example
     * {@code $.items[0].amount: a java.lang.Long came back as a java.lang.Integer}, {@code $: a dev.acme.Receipt came
     * back as a java.util.LinkedHashMap (declared type T)} or {@code $.secret: state not visible to the codec came
     * back different}. It names no values.
     *
     * @param value the value, possibly null
     * @param type its declared type, as Jackson resolved it
     * @param declaredType the declared type as the method declares it, for messages (a type variable by its name)
     * @return the bytes, which decode to a value equal to {@code value}
     * @throws IllegalArgumentException if the value cannot be written, its bytes cannot be read back, or they read
     *     back as a different value
     */
    public static byte[] encodeVerified(Object value, JavaType type, Type declaredType) {
        return encodeVerified(value, codec(type), declaredType);
    }

    /**
     * Like {@link #encodeVerified(Object, JavaType, Type)}, with the reader and writer of a {@link #codec}.
     *
     * @param value the value, possibly null
     * @param codec the codec of its declared type
     * @param declaredType the declared type as the method declares it, for messages
     * @return the bytes, which decode to a value equal to {@code value}
     * @throws IllegalArgumentException as {@link #encodeVerified(Object, JavaType, Type)}
     */
    public static byte[] encodeVerified(Object value, Codec codec, Type declaredType) {
        return encode(value, codec, declaredType.getTypeName());
    }

    /**
     * The reader and writer of one declared type, made once per method: Jackson's {@code readerFor} and
     * {@code writerFor} build a new object (and look up the root serializer) on every call.
     *
     * @param reader reads the type
     * @param writer writes the type
     */
    public record Codec(ObjectReader reader, ObjectWriter writer) {
    }

    /**
     * The codec of a declared type.
     *
     * @param type the type, as {@link #javaType} resolved it
     * @return its codec
     */
    public static Codec codec(JavaType type) {
        return new Codec(MAPPER.readerFor(type), MAPPER.writerFor(type));
    }

    private static byte[] encode(Object value, Codec codec, String declaredType) {
        String what = value == null ? "null" : "a " + value.getClass().getName();
        byte[] bytes;
        try {
            bytes = codec.writer().writeValueAsBytes(value);
        } catch (Exception | StackOverflowError e) {
            throw new IllegalArgumentException(what + " cannot be encoded as " + declaredType + ": " + reason(e), e);
        }
        Object decoded;
        try {
            decoded = codec.reader().readValue(bytes);
        } catch (Exception | StackOverflowError e) {
            throw new IllegalArgumentException(what + " cannot be read back as " + declaredType + ": " + reason(e),
                    e);
        }
        String difference;
        try {
            difference = RoundTrip.firstDifference(value, decoded, declaredType, OutcomeCodec::visibleToCodec);
        } catch (StackOverflowError e) {
            throw new IllegalArgumentException(what + " is nested too deeply to verify its encoding", e);
        }
        if (difference != null) {
            throw new IllegalArgumentException(difference);
        }
        return bytes;
    }

    /**
     * Decodes a value.
     *
     * @param bytes the encoded value
     * @param type the declared type
     * @return the value
     * @throws Exception if Jackson cannot read it
     */
    public static Object decode(byte[] bytes, JavaType type) throws Exception {
        return MAPPER.readerFor(type).readValue(bytes);
    }

    /**
     * Decodes a value with a {@link #codec}.
     *
     * @param bytes the encoded value
     * @param codec the codec of the declared type
     * @return the value
     * @throws Exception if Jackson cannot read it
     */
    public static Object decode(byte[] bytes, Codec codec) throws Exception {
        return codec.reader().readValue(bytes);
    }

    private static String reason(Throwable failure) {
        if (failure instanceof StackOverflowError) {
            return "nested too deeply";
        }
        return failure instanceof JacksonException jackson ? jackson.getOriginalMessage() : failure.toString();
    }

    private static boolean visibleToCodec(Field field) {
        return CARRIED_FIELDS.get(field.getDeclaringClass()).contains(field.getName());
    }

    private static Set<String> names(BeanDescription description, Predicate<BeanPropertyDefinition> carried) {
        Set<String> names = new HashSet<>();
        List<BeanPropertyDefinition> properties = description.findProperties();
        for (BeanPropertyDefinition property : properties) {
            if (carried.test(property)) {
                names.add(property.getInternalName());
            }
        }
        return names;
    }
}
