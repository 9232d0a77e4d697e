package dev.idem.spring.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;

/**
 * The Jackson module that the shared stores' codec uses for {@code ResponseEntity<T>}: written as
 * {@code {"status": 201, "headers": {"Location": ["/payments/7"]}, "body": ...}}, read back by a contextual
 * deserializer that decodes the body as the declared type's {@code T}, so that a {@code ResponseEntity<Receipt>} comes
 * back with a {@code Receipt} and equal to the original (the codec records an outcome only if it does).
 *
 * <p>The body is written by its runtime class, as Jackson writes any property; headers keep their names' case and
 * their order. A status outside 100-999, or a body that does not read back as {@code T}, fails reading. Reading always
 * makes a plain {@code ResponseEntity}: a subclass does not come back equal, so the codec records it as unencodable
 * rather than replay something else.
 */
final class ResponseEntityModule {
    private static final String STATUS = "status";
    private static final String HEADERS = "headers";
    private static final String BODY = "body";

    private ResponseEntityModule() {
    }

    /**
     * A new module.
     *
     * @return the module, named {@code idem-spring-web}
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static Module create() {
        SimpleModule module = new SimpleModule("idem-spring-web");
        module.addSerializer((Class) ResponseEntity.class, new Serializer());
        module.addDeserializer((Class) ResponseEntity.class, new Deserializer(null, null));
        return module;
    }

    /** Writes status, headers and body. */
    static final class Serializer extends StdSerializer<ResponseEntity<?>> {
        private static final long serialVersionUID = 1L;

        @SuppressWarnings({"rawtypes", "unchecked"})
        Serializer() {
            super((Class) ResponseEntity.class);
        }

        @Override
        public void serialize(ResponseEntity<?> value, JsonGenerator generator, SerializerProvider provider)
                throws IOException {
            generator.writeStartObject(value);
            generator.writeNumberField(STATUS, value.getStatusCode().value());
            generator.writeFieldName(HEADERS);
            generator.writeStartObject();
            // forEach is what HttpHeaders offers in Spring 6.2 (a Map) and 7.0 (no longer one) alike; it cannot throw
            // the generator's IOException, hence the copy.
            Map<String, List<String>> headers = new LinkedHashMap<>();
            value.getHeaders().forEach(headers::put);
            for (Map.Entry<String, List<String>> header : headers.entrySet()) {
                generator.writeFieldName(header.getKey());
                generator.writeStartArray();
                for (String headerValue : header.getValue()) {
                    generator.writeString(headerValue);
                }
                generator.writeEndArray();
            }
            generator.writeEndObject();
            generator.writeFieldName(BODY);
            provider.defaultSerializeValue(value.getBody(), generator);
            generator.writeEndObject();
        }
    }

    /** Reads status, headers and a body of the declared type's type argument. */
    static final class Deserializer extends StdDeserializer<ResponseEntity<?>> implements ContextualDeserializer {
        private static final long serialVersionUID = 1L;

        /** The body's type and its deserializer; null until contextualized (then the body reads as Object). */
        private final JavaType bodyType;
        private final transient JsonDeserializer<Object> bodyDeserializer;

        Deserializer(JavaType bodyType, JsonDeserializer<Object> bodyDeserializer) {
            super(ResponseEntity.class);
            this.bodyType = bodyType;
            this.bodyDeserializer = bodyDeserializer;
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext context, BeanProperty property)
                throws com.fasterxml.jackson.databind.JsonMappingException {
            JavaType type = context.getContextualType();
            if (type == null && property != null) {
                type = property.getType();
            }
            JavaType body = null;
            if (type != null) {
                JavaType[] parameters = type.findTypeParameters(ResponseEntity.class);
                if (parameters.length == 1) {
                    body = parameters[0];
                }
            }
            if (body == null) {
                body = context.constructType(Object.class);
            }
            return new Deserializer(body, context.findContextualValueDeserializer(body, property));
        }

        @Override
        public ResponseEntity<?> deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.isExpectedStartObjectToken()) {
                return (ResponseEntity<?>) context.handleUnexpectedToken(ResponseEntity.class, parser);
            }
            Integer status = null;
            HttpHeaders headers = new HttpHeaders();
            Object body = null;
            for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
                JsonToken token = parser.nextToken();
                switch (name) {
                    case STATUS -> {
                        if (token != JsonToken.VALUE_NUMBER_INT) {
                            return context.reportInputMismatch(this, "ResponseEntity status: expected an integer");
                        }
                        status = parser.getIntValue();
                    }
                    case HEADERS -> readHeaders(parser, context, headers);
                    case BODY -> body = readBody(parser, context, token);
                    default -> parser.skipChildren();
                }
            }
            if (status == null || status < 100 || status > 999) {
                return context.reportInputMismatch(this, "ResponseEntity status: missing or not within 100-999");
            }
            return ResponseEntity.status(status).headers(headers).body(body);
        }

        private Object readBody(JsonParser parser, DeserializationContext context, JsonToken token)
                throws IOException {
            JsonDeserializer<Object> deserializer = bodyDeserializer;
            if (deserializer == null) { // not contextualized: read as Jackson reads an Object
                deserializer = context.findRootValueDeserializer(context.constructType(Object.class));
            }
            return token == JsonToken.VALUE_NULL ? deserializer.getNullValue(context)
                    : deserializer.deserialize(parser, context);
        }

        private ResponseEntity<?> readHeaders(JsonParser parser, DeserializationContext context, HttpHeaders headers)
                throws IOException {
            if (!parser.isExpectedStartObjectToken()) {
                return context.reportInputMismatch(this, "ResponseEntity headers: expected an object");
            }
            for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
                if (parser.nextToken() != JsonToken.START_ARRAY) {
                    return context.reportInputMismatch(this, "ResponseEntity header: expected an array of values");
                }
                List<String> values = new ArrayList<>();
                for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                    if (token == JsonToken.VALUE_STRING) {
                        values.add(parser.getText());
                    } else if (token == JsonToken.VALUE_NULL) {
                        values.add(null);
                    } else {
                        return context.reportInputMismatch(this, "ResponseEntity header value: expected a string");
                    }
                }
                headers.addAll(name, values); // addAll keeps a name without values, as the original had it
            }
            return null;
        }
    }
}
