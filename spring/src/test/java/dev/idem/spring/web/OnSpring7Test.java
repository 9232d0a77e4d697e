package dev.idem.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.SpringVersion;
import org.springframework.http.HttpHeaders;

/**
 * That the on-spring-7 execution really runs the codec's tests on Spring Framework 7, where {@code HttpHeaders} is
 * no longer a map. Skipped in the default run (Spring 6.2).
 */
class OnSpring7Test {

    @Test
    void springFramework7_isOnTheClassPath() {
        assumeTrue("7".equals(System.getProperty("idem.test.spring-major")), "the default run is on Spring 6.2");

        assertThat(SpringVersion.getVersion()).startsWith("7.");
        assertThat(Map.class.isAssignableFrom(HttpHeaders.class)).isFalse();
    }
}
