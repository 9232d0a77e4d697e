package dev.idem.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JavaType;
import dev.idem.core.TypeRef;
import dev.idem.core.internal.OutcomeCodec;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

/**
 * The shared stores' codec itself (idem-core's OutcomeCodec, which finds this module through ServiceLoader) records a
 * {@code ResponseEntity<T>} only because it comes back equal, and refuses one whose body type is not declared.
 */
class ResponseEntityCodecTest {

    /** A body. */
    public record Receipt(String id, long amountCents) {
    }

    @Test
    void declaredBodyType_isVerifiedEqual_andDecodesToAnEqualResponse() throws Exception {
        JavaType type = OutcomeCodec.javaType(new TypeRef<ResponseEntity<Receipt>>() { }.type());
        ResponseEntity<Receipt> original = ResponseEntity.created(URI.create("/r/1")).header("X-Run", "1")
                .body(new Receipt("1", 1000));

        byte[] bytes = OutcomeCodec.encodeVerified(original, type);

        Object decoded = OutcomeCodec.decode(bytes, type);
        assertThat(decoded).isEqualTo(original);
        assertThat(((ResponseEntity<?>) decoded).getBody()).isInstanceOf(Receipt.class);
    }

    @Test
    void undeclaredBodyType_isRefused_ratherThanReplayedAsAMap() {
        JavaType type = OutcomeCodec.javaType(new TypeRef<ResponseEntity<?>>() { }.type());
        ResponseEntity<Receipt> original = ResponseEntity.ok(new Receipt("1", 1000));

        assertThatThrownBy(() -> OutcomeCodec.encodeVerified(original, type))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("body");
    }
}
