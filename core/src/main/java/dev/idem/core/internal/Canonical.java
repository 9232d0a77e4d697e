package dev.idem.core.internal;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.temporal.TemporalAccessor;
import java.util.Base64;
import java.util.UUID;

/**
 * Canonical forms of values, equal for equal values across threads, JVMs, JDK versions and restarts: the text form
 * of a key part, and the canonical JSON (and its SHA-256) of a fingerprint payload.
 *
 * <h2>The canonical JSON</h2>
 * It is only ever hashed, never parsed, so it extends JSON with tokens that no JSON value can be mistaken for: a
 * distinct payload must have a distinct form. Written with Jackson, reading an object's state from its fields (not
 * its getters, which may compute, mask or be absent), so a DTO without {@code equals} matches an equal copy:
 * <ul>
 * <li>a bean or record: {@code {"name":value,...}}, properties in name order. The class is not part of the form:
 *     the same properties with the same values are the same payload, whichever class holds them (a proxy class of
 *     a generated name must not change a fingerprint between JVMs);
 * <li>a map: {@code #map{key:value,...}}; keys are canonical values like any other, so they keep their type:
 *     {@code 1}, {@code #long(1)}, {@code "1"} and {@code null} are four different keys. Entries are in the order of
 *     their own canonical text (the map's order, or its comparator, says nothing about its value). A
 *     {@code Map.Entry} is a map of one entry;
 * <li>a set: {@code #set[...]}, elements in the order of their canonical text; other collections and arrays:
 *     {@code [...]} in their order (a list, an {@code Object[]} and an {@code int[]} of the same elements are the
 *     same sequence; a collection that is neither a list nor a set is in its iteration order);
 * <li>numbers keep their type: {@code Integer} and {@code Double} are bare JSON numbers, other numbers are tagged
 *     ({@code #long(1)}, {@code #short(1)}, {@code #byte(1)}, {@code #biginteger(1)}, {@code #float(1.5)},
 *     {@code #bigdecimal(10)}, any other {@code Number} with its class name). So {@code 1}, {@code 1L} and
 *     {@code 1.0} differ. A {@code BigDecimal} is compared by value, not scale: {@code 10.0} equals {@code 10.00}
 *     (written without trailing zeros, plain unless its exponent passes 100). Doubles and floats are written in
 *     their shortest round-trip form by Jackson's own algorithm (JDK 17's {@code Double.toString} differs from
 *     later JDKs' for some values), so they compare like their {@code equals}: {@code -0.0} differs from
 *     {@code 0.0}; {@code NaN}, {@code Infinity} and {@code -Infinity} are bare tokens, unlike the strings
 *     {@code "NaN"} and {@code "Infinity"}, and a float's infinity ({@code #float(Infinity)}) is not a double's;
 * <li>binary data ({@code byte[]}, {@code ByteBuffer}): {@code #bytes("base64")}, unlike the string of its base64
 *     text, and unlike a {@code Byte[]} (a sequence of {@code #byte} values);
 * <li>text values are JSON strings, non-ASCII characters escaped (so the form is ASCII, and a lone surrogate is
 *     written as faithfully as any other character); {@code null} is {@code null}.
 * </ul>
 *
 * <h2>Equal by value on purpose</h2>
 * These are written alike because they carry the same information, and a method's declared parameter types keep
 * them apart anyway:
 * <ul>
 * <li>a value whose canonical form is its standard text equals the {@code String} of that text: a {@code Character},
 *     a {@code char[]} or any {@code CharSequence}, an enum constant (by name), a {@code UUID}, a java.time value
 *     (ISO-8601; a {@code ZonedDateTime} with its zone id, so {@code Europe/Paris} differs from {@code +01:00}, while
 *     an {@code Instant} equals the {@code OffsetDateTime} of the same text), a {@code Locale}, {@code Currency},
 *     {@code ZoneId}, {@code URI}; so do values that Jackson writes as a single string ({@code @JsonValue});
 * <li>a holder is its content: {@code Optional.of(x)} (and {@code OptionalInt}, {@code AtomicReference},
 *     {@code AtomicInteger} and the like) equals {@code x}, and an empty one equals {@code null};
 * <li>beans of different classes with equal properties are equal (see above).
 * </ul>
 *
 * <h2>No canonical form</h2>
 * A payload nested deeper than {@link #MAX_DEPTH} (every bean, map, collection, array and holder is a level; the
 * argument array of a call is the first), a cycle, or a value that can be read only once (a stream, an iterator)
 * has no canonical form: {@link #json(Object)} throws {@link IllegalArgumentException}, never a
 * {@code StackOverflowError}. Errors that are not about the payload (out of memory, a linkage error of a
 * dependency) propagate.
 *
 * <p>Thread-safe.
 */
public final class Canonical {
    /**
     * The deepest nesting a payload may have: beans, maps, collections, arrays and holders ({@code Optional}) inside
     * each other, the outermost (for a call's payload, the argument array) counting as 1.
     */
    public static final int MAX_DEPTH = 100;

    /** Beyond this exponent a decimal is written in scientific notation: a plain {@code 1E+999999999} is 1 GB. */
    private static final int PLAIN_EXPONENT_LIMIT = 100;

    private static final JsonFactory FACTORY = new JsonFactoryBuilder()
            // ASCII output: every character, even a lone surrogate, is written as itself (no replacement char).
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            // NaN and infinities as bare tokens, unlike the strings "NaN" and "Infinity".
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            // Jackson's shortest-form algorithm: the same digits on every JDK.
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            // Element texts of sets and maps are written as consecutive root values: nothing between them.
            .rootValueSeparator((String) null)
            .build();

    private static final ObjectWriter WRITER = JsonMapper.builder(FACTORY)
            .addModule(new Jdk8Module())
            .addModule(new JavaTimeModule())
            .addModule(new Module() {
                @Override
                public String getModuleName() {
                    return "idem-canonical";
                }

                @Override
                public com.fasterxml.jackson.core.Version version() {
                    return com.fasterxml.jackson.core.Version.unknownVersion();
                }

                @Override
                public void setupModule(SetupContext context) {
                    // Added last, so asked first: ahead of Jackson's and the modules' own serializers.
                    context.addSerializers(new CanonicalSerializers());
                }
            })
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            // Pure name order: beans of different classes with the same properties must write them alike.
            .disable(MapperFeature.SORT_CREATOR_PROPERTIES_FIRST)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            // The walk finds every cycle, self-references included, with one message.
            .disable(SerializationFeature.FAIL_ON_SELF_REFERENCES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(SerializationFeature.WRITE_DATES_WITH_ZONE_ID)
            .visibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
            .build()
            .writer();

    private static final String TOO_DEEP_FOR_THE_STACK = "nested too deeply for this thread's stack";

    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

    private Canonical() {
    }

    /**
     * The canonical text of a key value: strings as they are, numbers (decimals without trailing zeros, doubles and
     * floats in their shortest form), booleans, characters, enums (by name), UUIDs and java.time values by their
     * standard text; any other value by its canonical JSON.
     *
     * @param value a non-null value
     * @return its canonical text
     * @throws IllegalArgumentException if the value is of another kind and has no canonical JSON
     */
    public static String text(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof BigDecimal decimal) {
            return decimal(decimal);
        }
        if (value instanceof Double d) {
            return NumberOutput.toString(d, true);
        }
        if (value instanceof Float f) {
            return NumberOutput.toString(f, true);
        }
        if (value instanceof Number || value instanceof Boolean || value instanceof Character
                || value instanceof UUID || value instanceof TemporalAccessor || value instanceof CharSequence) {
            return value.toString();
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        return new String(write(value), StandardCharsets.US_ASCII);
    }

    /**
     * The canonical JSON of a value (see the class description).
     *
     * @param value any value, possibly null
     * @return its canonical JSON, in ASCII (so in UTF-8 too)
     * @throws IllegalArgumentException if the value has no canonical form: nested deeper than {@link #MAX_DEPTH}, a
     *     cycle, a value that can be read only once, or a value Jackson cannot write
     */
    public static byte[] json(Object value) {
        return write(value);
    }

    /**
     * The SHA-256 of the canonical JSON of a value, in unpadded base64url (43 characters).
     *
     * @param value any value, possibly null
     * @return the hash
     * @throws IllegalArgumentException if the value has no canonical form
     */
    public static String hash(Object value) {
        MessageDigest digest = sha256();
        if (!DirectCanonical.digest(value, digest)) {
            digest.update(json(value));
        }
        return BASE64.encodeToString(digest.digest());
    }

    /** A decimal by value: no trailing zeros, zero as {@code 0}, plain unless the exponent is out of bounds. */
    static String decimal(BigDecimal decimal) {
        if (decimal.signum() == 0) {
            return "0";
        }
        BigDecimal stripped = decimal.stripTrailingZeros();
        int scale = stripped.scale();
        // Either branch is a function of the value alone, so equal values still get one text.
        return scale >= -PLAIN_EXPONENT_LIMIT && scale <= PLAIN_EXPONENT_LIMIT ? stripped.toPlainString()
                : stripped.toString();
    }

    private static byte[] write(Object value) {
        CanonicalWalk walk = new CanonicalWalk(FACTORY);
        // The output is ASCII (every other character is escaped), so bytes can be written directly, raw element
        // texts of sets and maps included.
        ByteArrayBuilder out = new ByteArrayBuilder(FACTORY._getBufferRecycler());
        try (JsonGenerator generator = new CanonicalGenerator(FACTORY.createGenerator(out), walk)) {
            WRITER.writeValue(generator, value);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("no canonical form for " + describe(value) + ": " + reason(e), e);
        } catch (StackOverflowError e) {
            // Only if the thread's stack is too small for MAX_DEPTH levels: still a payload without a form here.
            throw new IllegalArgumentException("no canonical form for " + describe(value) + ": "
                    + TOO_DEEP_FOR_THE_STACK, e);
        }
        byte[] bytes = out.toByteArray();
        out.release();
        return bytes;
    }

    private static String reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NoCanonicalFormException own) {
                return own.getMessage();
            }
            if (t instanceof StackOverflowError) {
                // Caught and wrapped by Jackson's bean serializer ("Infinite recursion"): not a cycle, the walk
                // finds those; a stack too small for MAX_DEPTH levels.
                return TOO_DEEP_FOR_THE_STACK;
            }
        }
        return failure instanceof com.fasterxml.jackson.core.JacksonException j ? j.getOriginalMessage()
                : failure.toString();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    private static String describe(Object value) {
        return value == null ? "null" : "a " + value.getClass().getName();
    }
}
