package dev.idem.core.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.lang.reflect.Type;

/**
 * Encodes outcomes for stores that do not keep objects, with Jackson and the method's generic return type: no type
 * names go into the stored bytes and nothing is deserialized polymorphically from the store. Thread-safe.
 */
public final class OutcomeCodec {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new Jdk8Module())
            .addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

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
     * Encodes a value.
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
     * Encodes a value and checks that it decodes back (a stand-in until the equal-value check lands).
     *
     * @param value the value
     * @param type its declared type
     * @return the bytes
     * @throws Exception if Jackson cannot write or read it
     */
    public static byte[] encodeVerified(Object value, JavaType type) throws Exception {
        byte[] bytes = encode(value, type);
        decode(bytes, type);
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
}
