package dev.idem.store.redisson;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The scripts read by name: each input is bound once, at the top, and the record's codes come from RecordLayout. */
class RedisScriptsTest {
    private static final List<RedisScripts.Script> SCRIPTS = List.of(RedisScripts.STATE, RedisScripts.CLAIM,
            RedisScripts.COMPLETE, RedisScripts.RELEASE, RedisScripts.RENEW);
    private static final Pattern INPUT = Pattern.compile("(KEYS|ARGV)\\[\\d+]");
    private static final Pattern BINDING = Pattern.compile("local [a-z_]+ = (KEYS|ARGV)\\[\\d+]");

    @Test
    void everyInput_isBoundOnce_toANamedLocal_beforeTheScriptUsesIt() {
        for (RedisScripts.Script script : SCRIPTS) {
            List<String> lines = script.text().lines().toList();
            int firstUse = -1;
            for (int i = 0; i < lines.size(); i++) {
                Matcher input = INPUT.matcher(lines.get(i));
                if (input.find()) {
                    assertThat(lines.get(i)).as(script.text()).matches(BINDING);
                    assertThat(firstUse).as("inputs are bound together, at the top:%n%s", script.text())
                            .isIn(-1, i - 1);
                    firstUse = i;
                    assertThat(script.text().split(Pattern.quote(input.group()), -1)).as(script.text()).hasSize(2);
                }
            }
        }
    }

    @Test
    void theRecordsCodes_areLuaLocalsFromRecordLayout() {
        for (RedisScripts.Script script : SCRIPTS) {
            assertThat(script.text()).startsWith(RecordLayout.LUA_LOCALS)
                    .contains("local STATE = '" + RecordLayout.STATE + "'")
                    .contains("local IN_FLIGHT = '" + RecordLayout.IN_FLIGHT + "'");
            String body = script.text().substring(RecordLayout.LUA_LOCALS.length());
            // No quoted one-letter code below the prelude: the scripts name every field and code.
            assertThat(body).doesNotContainPattern("'[A-Za-z]'");
        }
    }

    @Test
    void theShaIsTheTextsSha1() throws Exception {
        for (RedisScripts.Script script : SCRIPTS) {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-1")
                    .digest(script.text().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(script.sha()).isEqualTo(java.util.HexFormat.of().formatHex(digest));
        }
    }
}
