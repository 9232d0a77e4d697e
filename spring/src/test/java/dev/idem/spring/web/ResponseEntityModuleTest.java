package dev.idem.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The Jackson module on a mapper configured as idem-core's OutcomeCodec configures its own: a {@code ResponseEntity}
 * round-trips to an equal one, its body decoded as the declared type argument.
 */
class ResponseEntityModuleTest {
    private final ObjectMapper mapper = JsonMapper.builder()
            .addModule(new Jdk8Module())
            .addModule(new JavaTimeModule())
            .addModule(new SpringWebResultTypeSupport().codecModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(SerializationFeature.WRITE_DATES_WITH_ZONE_ID)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .build();

    /** A body with value semantics. */
    public record Receipt(String id, BigDecimal amount, Instant at) {
    }

    @Test
    void responseEntity_roundTripsToAnEqualOne_withATypedBody() throws Exception {
        ResponseEntity<Receipt> original = ResponseEntity.created(URI.create("/payments/7"))
                .header("X-Request-Id", "a", "b")
                .contentType(MediaType.APPLICATION_JSON)
                .body(new Receipt("7", new BigDecimal("10.50"), Instant.parse("2026-12-03T10:15:30Z")));

        ResponseEntity<Receipt> decoded = roundTrip(original, new TypeReference<ResponseEntity<Receipt>>() { });

        assertThat(decoded).isEqualTo(original);
        assertThat(decoded.getBody()).isInstanceOf(Receipt.class);
        assertThat(decoded.getBody().amount().scale()).isEqualTo(2);
        assertThat(decoded.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        assertThat(decoded.getHeaders().getValuesAsList("x-request-id")).containsExactly("a", "b"); // still case-insensitive
    }

    @Test
    void encoding_isStatusHeadersAndBody() throws Exception {
        ResponseEntity<Receipt> original = ResponseEntity.status(202).header("Location", "/p/1")
                .body(new Receipt("1", BigDecimal.ONE, Instant.parse("2026-01-01T00:00:00Z")));

        JsonNode json = mapper.readTree(mapper.writerFor(new TypeReference<ResponseEntity<Receipt>>() { })
                .writeValueAsBytes(original));

        assertThat(json.get("status").intValue()).isEqualTo(202);
        assertThat(json.get("headers").get("Location").get(0).textValue()).isEqualTo("/p/1");
        assertThat(json.get("body").get("id").textValue()).isEqualTo("1");
        assertThat(json.get("body").get("at").textValue()).isEqualTo("2026-01-01T00:00:00Z");
    }

    @Test
    void genericBody_comesBackAsItsDeclaredType() throws Exception {
        ResponseEntity<List<Receipt>> original = ResponseEntity.ok(
                List.of(new Receipt("1", BigDecimal.TEN, Instant.EPOCH), new Receipt("2", BigDecimal.ONE, Instant.EPOCH)));

        ResponseEntity<List<Receipt>> decoded = roundTrip(original,
                new TypeReference<ResponseEntity<List<Receipt>>>() { });

        assertThat(decoded).isEqualTo(original);
        assertThat(decoded.getBody()).allSatisfy(receipt -> assertThat(receipt).isInstanceOf(Receipt.class));
    }

    @Test
    void noBody_andVoid_roundTrip() throws Exception {
        ResponseEntity<Void> noContent = ResponseEntity.noContent().header("ETag", "\"v1\"").build();
        ResponseEntity<Receipt> notFound = ResponseEntity.notFound().build();

        assertThat(roundTrip(noContent, new TypeReference<ResponseEntity<Void>>() { })).isEqualTo(noContent);
        assertThat(roundTrip(notFound, new TypeReference<ResponseEntity<Receipt>>() { })).isEqualTo(notFound);
    }

    @Test
    void unusualStatus_andHeaderWithoutValues_roundTrip() throws Exception {
        HttpHeaders headers = new HttpHeaders();
        headers.addAll("X-Empty", List.of());
        headers.add("X-Other", "1");
        ResponseEntity<String> original = ResponseEntity.status(299).headers(headers).body("odd");

        ResponseEntity<String> decoded = roundTrip(original, new TypeReference<ResponseEntity<String>>() { });

        assertThat(decoded).isEqualTo(original);
        assertThat(decoded.getStatusCode().value()).isEqualTo(299);
    }

    @Test
    void asAProperty_theBodyTypeComesFromThePropertysType() throws Exception {
        Map<String, ResponseEntity<Receipt>> original = Map.of("k",
                ResponseEntity.accepted().body(new Receipt("3", BigDecimal.ZERO, Instant.EPOCH)));

        Map<String, ResponseEntity<Receipt>> decoded = roundTrip(original,
                new TypeReference<Map<String, ResponseEntity<Receipt>>>() { });

        assertThat(decoded).isEqualTo(original);
        assertThat(decoded.get("k").getBody()).isInstanceOf(Receipt.class);
    }

    @Test
    void badInput_failsToRead() {
        JavaType type = mapper.getTypeFactory().constructType(new TypeReference<ResponseEntity<Receipt>>() { });

        assertThatThrownBy(() -> mapper.readerFor(type).readValue("{\"headers\":{},\"body\":null}"))
                .hasMessageContaining("status");
        assertThatThrownBy(() -> mapper.readerFor(type).readValue("{\"status\":42,\"headers\":{}}"))
                .hasMessageContaining("status");
        assertThatThrownBy(() -> mapper.readerFor(type).readValue("{\"status\":200,\"headers\":{\"A\":\"x\"}}"))
                .hasMessageContaining("header");
        assertThatThrownBy(() -> mapper.readerFor(type).readValue("[]"))
                .hasMessageContaining("ResponseEntity");
    }

    @Test
    void defaultUnless_is4xxForResponseEntities_andNothingForOtherTypes() {
        SpringWebResultTypeSupport support = new SpringWebResultTypeSupport();

        var unless = support.defaultUnless(ResponseEntity.class);

        assertThat(unless).isNotNull();
        assertThat(unless.test(ResponseEntity.badRequest().build())).isTrue();
        assertThat(unless.test(ResponseEntity.status(HttpStatus.CONFLICT).build())).isTrue();
        assertThat(unless.test(ResponseEntity.status(499).build())).isTrue();
        assertThat(unless.test(ResponseEntity.ok("x"))).isFalse();
        assertThat(unless.test(ResponseEntity.status(201).build())).isFalse();
        assertThat(unless.test(ResponseEntity.status(302).build())).isFalse();
        assertThat(unless.test(ResponseEntity.internalServerError().build())).isFalse(); // the body ran: recorded
        assertThat(unless.test(null)).isFalse();
        assertThat(support.defaultUnless(Receipt.class)).isNull();
        assertThat(support.defaultUnless(Object.class)).isNull();
    }

    @Test
    void withHeader_copiesTheResponse_andLeavesTheOriginalAlone() {
        ResponseEntity<String> original = ResponseEntity.status(201).header("Location", "/x").body("b");

        ResponseEntity<?> marked = ResponseEntities.withHeader(original, "Idempotent-Replayed", "true");

        assertThat(marked.getStatusCode()).isEqualTo(original.getStatusCode());
        assertThat(marked.getBody()).isSameAs(original.getBody());
        assertThat(marked.getHeaders().getFirst("Location")).isEqualTo("/x");
        assertThat(marked.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
        assertThat(original.getHeaders().getFirst("Idempotent-Replayed")).isNull();
    }

    private <T> T roundTrip(T value, TypeReference<T> type) throws Exception {
        JavaType javaType = mapper.getTypeFactory().constructType(type);
        byte[] bytes = mapper.writerFor(javaType).writeValueAsBytes(value);
        return mapper.readerFor(javaType).readValue(bytes);
    }
}
