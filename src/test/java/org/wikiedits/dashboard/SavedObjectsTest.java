package org.wikiedits.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenSearch Dashboards objects in {@code infra/opensearch-dashboards/} against the index
 * template the app installs: every field they aggregate on, show, sort by or query exists in the
 * template's mapping (sub-fields such as {@code title.keyword} included), and every reference resolves.
 */
class SavedObjectsTest {

    private static final Path OBJECTS = Path.of("infra", "opensearch-dashboards", "wikiedits-saved-objects.ndjson");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A KQL field before {@code :}, {@code <}, {@code >} (the objects' queries are KQL). */
    private static final Pattern KQL_FIELD = Pattern.compile("([A-Za-z@_][A-Za-z0-9@_.]*)\\s*(:|<=?|>=?)");

    private static final List<JsonNode> objects = new ArrayList<>();
    private static final Set<String> templateFields = new TreeSet<>();

    @BeforeAll
    static void read() throws IOException {
        for (String line : Files.readAllLines(OBJECTS, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                objects.add(JSON.readTree(line));
            }
        }
        try (InputStream in = SavedObjectsTest.class.getResourceAsStream("/opensearch/wikiedits-template.json")) {
            collectFields(JSON.readTree(in).path("template").path("mappings").path("properties"), "");
        }
    }

    @Test
    void thereIsAnIndexPatternOnTheTimestampVisualizationsASavedSearchAndOneDashboard() {
        JsonNode pattern = only("index-pattern");
        assertThat(pattern.path("attributes").path("title").asText()).isEqualTo("wikiedits*");
        assertThat(pattern.path("attributes").path("timeFieldName").asText()).isEqualTo("@timestamp");
        assertThat(ofType("visualization")).hasSizeGreaterThanOrEqualTo(6);
        assertThat(ofType("search")).hasSize(1);
        assertThat(only("dashboard").path("attributes").path("panelsJSON").asText()).isNotBlank();
    }

    @Test
    void everyFieldTheObjectsUseExistsInTheIndexTemplate() throws IOException {
        Set<String> used = new TreeSet<>();
        used.add(only("index-pattern").path("attributes").path("timeFieldName").asText());
        for (JsonNode visualization : ofType("visualization")) {
            JsonNode state = JSON.readTree(visualization.path("attributes").path("visState").asText());
            state.path("aggs").forEach(agg -> {
                if (agg.path("params").has("field")) {
                    used.add(agg.path("params").path("field").asText());
                }
            });
            used.addAll(queryFields(visualization));
        }
        for (JsonNode search : ofType("search")) {
            search.path("attributes").path("columns").forEach(column -> used.add(column.asText()));
            search.path("attributes").path("sort").forEach(sort -> used.add(sort.get(0).asText()));
            used.addAll(queryFields(search));
        }

        assertThat(used).contains("@timestamp", "wiki", "type", "bot", "title.keyword", "length_delta");
        assertThat(templateFields).containsAll(used);
    }

    @Test
    void everyReferenceNamesAnObjectInTheFile() throws IOException {
        Set<String> present = new HashSet<>();
        objects.forEach(object -> present.add(object.path("type").asText() + "/" + object.path("id").asText()));
        for (JsonNode object : objects) {
            object.path("references").forEach(reference ->
                    assertThat(present).as(object.path("id").asText()).contains(reference.path("type").asText() + "/"
                            + reference.path("id").asText()));
        }
        JsonNode dashboard = only("dashboard");
        Set<String> referenceNames = new HashSet<>();
        dashboard.path("references").forEach(reference -> referenceNames.add(reference.path("name").asText()));
        JsonNode panels = JSON.readTree(dashboard.path("attributes").path("panelsJSON").asText());
        assertThat(panels).hasSize(dashboard.path("references").size());
        panels.forEach(panel -> assertThat(referenceNames).contains(panel.path("panelRefName").asText()));
    }

    private static Set<String> queryFields(JsonNode object) throws IOException {
        JsonNode source = JSON.readTree(object.path("attributes").path("kibanaSavedObjectMeta").path("searchSourceJSON").asText());
        Set<String> fields = new HashSet<>();
        Matcher matcher = KQL_FIELD.matcher(source.path("query").path("query").asText());
        while (matcher.find()) {
            fields.add(matcher.group(1));
        }
        return fields;
    }

    /** The template's fields, with sub-fields as {@code parent.sub}. */
    private static void collectFields(JsonNode properties, String prefix) {
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            templateFields.add(prefix + field.getKey());
            field.getValue().path("fields").fieldNames().forEachRemaining(sub -> templateFields.add(prefix + field.getKey() + "." + sub));
            collectFields(field.getValue().path("properties"), prefix + field.getKey() + ".");
        }
    }

    private static List<JsonNode> ofType(String type) {
        return objects.stream().filter(object -> object.path("type").asText().equals(type)).toList();
    }

    private static JsonNode only(String type) {
        List<JsonNode> found = ofType(type);
        assertThat(found).as(type).hasSize(1);
        return found.get(0);
    }
}
