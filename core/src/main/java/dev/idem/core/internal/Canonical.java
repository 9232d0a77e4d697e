package dev.idem.core.internal;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Canonical forms of values, equal for equal values across threads, JVMs and restarts: the text form of a key part,
 * and the canonical JSON (and its SHA-256) of a fingerprint payload.
 *
 * <p>The canonical JSON reads an object's state from its fields (not its getters, which may compute or be absent),
 * sorts properties and map entries by name, orders set elements by their own canonical form, writes decimals without
 * trailing zeros ({@code 10.0} equals {@code 10.00}) and java.time values as ISO-8601 text. It does not depend on
 * whether a class overrides {@code equals}, so a DTO without {@code equals} matches an equal copy of itself.
 */
public final class Canonical {
    private static final ObjectMapper MAPPER = createMapper();
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

    private Canonical() {
    }

    /**
     * The canonical text of a key value: strings as they are, numbers (decimals without trailing zeros), booleans,
     * characters, enums (by name), UUIDs and java.time values by their standard text; any other value by its
     * canonical JSON.
     *
     * @param value a non-null value
     * @return its canonical text
     */
    public static String text(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof BigDecimal decimal) {
            return plain(decimal);
        }
        if (value instanceof Number || value instanceof Boolean || value instanceof Character
                || value instanceof UUID || value instanceof TemporalAccessor || value instanceof CharSequence) {
            return value.toString();
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        return new String(json(value), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * The canonical JSON of a value.
     *
     * @param value any value, possibly null
     * @return its canonical JSON in UTF-8
     * @throws IllegalArgumentException if the value cannot be written (a cycle, a type Jackson cannot handle)
     */
    public static byte[] json(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("cannot write a canonical form of " + describe(value) + ": "
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.toString()), e);
        }
    }

    /**
     * The SHA-256 of the canonical JSON of a value, in unpadded base64url (43 characters).
     *
     * @param value any value, possibly null
     * @return the hash
     * @throws IllegalArgumentException if the value cannot be written
     */
    public static String hash(Object value) {
        return BASE64.encodeToString(sha256().digest(json(value)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    private static String plain(BigDecimal decimal) {
        return decimal.signum() == 0 ? "0" : decimal.stripTrailingZeros().toPlainString();
    }

    private static String describe(Object value) {
        return value == null ? "null" : "a " + value.getClass().getName();
    }

    private static ObjectMapper createMapper() {
        SimpleModule canonical = new SimpleModule("idem-canonical");
        canonical.addSerializer(BigDecimal.class, new JsonSerializer<>() {
            @Override
            public void serialize(BigDecimal value, JsonGenerator gen, SerializerProvider serializers)
                    throws IOException {
                gen.writeNumber(plain(value));
            }
        });
        @SuppressWarnings({"rawtypes", "unchecked"})
        Class<Set<?>> setType = (Class) Set.class;
        canonical.addSerializer(setType, new JsonSerializer<Set<?>>() {
            @Override
            public void serialize(Set<?> value, JsonGenerator gen, SerializerProvider serializers)
                    throws IOException {
                // Iteration order of a set says nothing about its value: order elements by their canonical form.
                List<String> elements = new ArrayList<>(value.size());
                for (Object element : value) {
                    elements.add(MAPPER.writeValueAsString(element));
                }
                elements.sort(null);
                gen.writeStartArray();
                for (String element : elements) {
                    gen.writeRawValue(element);
                }
                gen.writeEndArray();
            }
        });
        @SuppressWarnings({"rawtypes", "unchecked"})
        Class<Map<?, ?>> mapType = (Class) Map.class;
        canonical.addSerializer(mapType, new JsonSerializer<Map<?, ?>>() {
            @Override
            public void serialize(Map<?, ?> value, JsonGenerator gen, SerializerProvider serializers)
                    throws IOException {
                // A map's own order (insertion, hashing, or a SortedMap's comparator) says nothing about its value:
                // order entries by the canonical text of their keys.
                TreeMap<String, Object> sorted = new TreeMap<>();
                for (Map.Entry<?, ?> entry : value.entrySet()) {
                    Object key = entry.getKey();
                    sorted.put(key == null ? "null" : text(key), entry.getValue());
                }
                gen.writeStartObject();
                for (Map.Entry<String, Object> entry : sorted.entrySet()) {
                    gen.writeFieldName(entry.getKey());
                    serializers.defaultSerializeValue(entry.getValue(), gen);
                }
                gen.writeEndObject();
            }
        });
        return JsonMapper.builder()
                .addModule(new Jdk8Module())
                .addModule(new JavaTimeModule())
                .addModule(canonical)
                .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .visibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
                .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
                .build();
    }
}
