package dev.idem.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The header's name is checked when the marker is made, not when a response is written. */
class IdempotentReplayedHeaderTest {

    @Test
    void tokens_areAccepted() {
        assertThat(new IdempotentReplayedHeader().headerName()).isEqualTo("Idempotent-Replayed");
        assertThat(new IdempotentReplayedHeader("X-Replayed_By.idem~1").headerName()).isEqualTo("X-Replayed_By.idem~1");
    }

    @Test
    void blankOrNull_isRefused() {
        assertThatThrownBy(() -> new IdempotentReplayedHeader(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the header's name is blank");
        assertThatThrownBy(() -> new IdempotentReplayedHeader(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("headerName");
    }

    @Test
    void notAToken_isRefused_namingTheCharacter() {
        for (String name : new String[] {"Idempotent Replayed", "Replayed:", "X-Replayed\r\nSet-Cookie", "Réjoué",
                "{key}", "X-Replayed "}) {
            assertThatThrownBy(() -> new IdempotentReplayedHeader(name)).as(name)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not an HTTP token: character ");
        }
        assertThatThrownBy(() -> new IdempotentReplayedHeader("Idempotent Replayed"))
                .hasMessageContaining("character 11 is not");
    }
}
