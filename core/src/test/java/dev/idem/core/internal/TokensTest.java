package dev.idem.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class TokensTest {

    @Test
    void aThreadKeepsItsToken_untilItIsRetired() {
        String first = Tokens.current(HeldKeys.current());

        assertThat(Tokens.current(HeldKeys.current())).isSameAs(first); // replays allocate no token
        Tokens.retire(HeldKeys.current());
        assertThat(Tokens.current(HeldKeys.current())).isNotEqualTo(first);
    }

    @Test
    void threadsHaveDifferentTokens() throws Exception {
        String here = Tokens.current(HeldKeys.current());
        String there = CompletableFuture.supplyAsync(() -> Tokens.current(HeldKeys.current())).get();

        assertThat(there).isNotEqualTo(here);
    }
}
