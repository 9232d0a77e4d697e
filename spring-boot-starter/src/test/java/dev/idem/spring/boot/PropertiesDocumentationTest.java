package dev.idem.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The properties tables of the README's "Spring Boot" section and of docs/spring-boot.md list exactly the properties
 * of the generated {@code META-INF/spring-configuration-metadata.json} (every property documented, none invented), with
 * the defaults the metadata states.
 */
class PropertiesDocumentationTest {
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z][a-z0-9.-]*)` \\| ([^|]*) \\|");

    @Test
    void readmeTable_matchesTheMetadata() throws IOException {
        assertThat(documented(section(Path.of("../README.md"), "## Spring Boot"))).isEqualTo(metadataDefaults());
    }

    @Test
    void docsTable_matchesTheMetadata() throws IOException {
        assertThat(documented(section(Path.of("../docs/spring-boot.md"), "## Properties")))
                .isEqualTo(metadataDefaults());
    }

    @Test
    void everyPropertyHasADescription() throws IOException {
        for (JsonNode property : metadata().get("properties")) {
            assertThat(property.path("description").asText()).as(property.get("name").asText()).isNotBlank();
        }
    }

    /** Name to default, as the docs write it: the metadata's default, or "none"/"detected"/... where it has none. */
    private static Map<String, String> metadataDefaults() throws IOException {
        Map<String, String> defaults = new TreeMap<>();
        for (JsonNode property : metadata().get("properties")) {
            JsonNode value = property.get("defaultValue");
            defaults.put(property.get("name").asText(), value == null ? "-" : normalise(value.asText()));
        }
        return defaults;
    }

    private static Map<String, String> documented(String section) {
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : section.split("\n")) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                String written = row.group(2).trim();
                // a default in backticks is a value the metadata must state; words (none, empty, detected, the
                // client's) describe a property without a default value
                String value = written.startsWith("`") ? normalise(written.replace("`", ""))
                        : written.equals("empty") ? "" : "-";
                assertThat(rows.put(row.group(1), value)).as("documented twice: " + row.group(1)).isNull();
            }
        }
        return new TreeMap<>(rows);
    }

    private static String normalise(String value) {
        return value.toLowerCase(java.util.Locale.ROOT);
    }

    private static String section(Path file, String heading) throws IOException {
        String text = Files.readString(file);
        int start = text.indexOf("\n" + heading + "\n");
        assertThat(start).as(heading + " in " + file).isNotNegative();
        int end = text.indexOf("\n## ", start + heading.length() + 1);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    private static JsonNode metadata() throws IOException {
        try (InputStream in = PropertiesDocumentationTest.class.getResourceAsStream(
                "/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("the generated metadata").isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }
}
