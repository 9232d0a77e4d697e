package dev.idem.core.weaving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idem.annotation.Idempotent;
import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfigurationException;
import org.junit.jupiter.api.Test;

/**
 * {@link Idempotency#requireWoven}: core's classes are compiled by plain javac, so an annotated method here is not
 * woven and must be named (the woven case is proven where ajc or the agent weave: examples/ctw and examples/ltw).
 */
class RequireWovenTest {

    static class Unwoven {
        @Idempotent(key = "#id")
        public String charge(String id) {
            return id;
        }

        @Idempotent(key = "#id")
        public String refund(String id) {
            return id;
        }

        public String plain(String id) {
            return id;
        }
    }

    /** Looks woven by name only: the parameters do not match, so it does not count. */
    static class Impostor {
        @Idempotent(key = "#id")
        public String charge(String id) {
            return id;
        }

        static Object charge_aroundBody0(Impostor self, long other) {
            return null;
        }
    }

    /** The shape ajc leaves: the body moved into a static method taking this and the parameters. */
    static class ShapedLikeWoven {
        @Idempotent(key = "#id")
        public String charge(String id) {
            return id;
        }

        static Object charge_aroundBody0(ShapedLikeWoven self, String id, Object joinPoint) {
            return null;
        }
    }

    @Test
    void unwovenMethods_areNamed() {
        assertThatThrownBy(() -> Idempotency.requireWoven(Unwoven.class))
                .isInstanceOf(IdempotencyConfigurationException.class)
                .hasMessageContaining(Unwoven.class.getName() + "#charge")
                .hasMessageContaining(Unwoven.class.getName() + "#refund")
                .hasMessageNotContaining("plain")
                .hasMessageContaining("-javaagent");
    }

    @Test
    void aMethodNamedLikeAWovenBodyWithOtherParameters_doesNotCount() throws Exception {
        assertThat(IdempotentMethod.isWoven(Impostor.class.getDeclaredMethod("charge", String.class))).isFalse();
        assertThat(IdempotentMethod.isWoven(ShapedLikeWoven.class.getDeclaredMethod("charge", String.class))).isTrue();
        Idempotency.requireWoven(ShapedLikeWoven.class, String.class);
    }
}
