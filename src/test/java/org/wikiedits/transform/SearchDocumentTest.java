package org.wikiedits.transform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SearchDocumentTest {

    /** The document fields of the contract (docs/architecture.md), in its order. */
    static final List<String> CONTRACT_FIELDS = List.of("@timestamp", "event_id", "wiki", "server_name", "type",
            "namespace", "title", "user", "bot", "minor", "patrolled", "length_old", "length_new", "length_delta",
            "revision_new", "log_type", "log_action", "comment");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T = Instant.parse("2026-08-04T15:24:29.724Z");

    static List<String> eventNames() {
        return Fixtures.eventNames();
    }

    @ParameterizedTest
    @MethodSource("eventNames")
    void everyFixtureGivesExactlyItsExpectedDocument(String name) {
        assertThat(SearchDocument.toJson(Fixtures.recentChange(name))).isEqualTo(Fixtures.expectedDocument(name));
    }

    @ParameterizedTest
    @MethodSource("eventNames")
    void theDocumentIdIsMetaId(String name) throws Exception {
        RecentChange rc = Fixtures.recentChange(name);
        String metaId = JSON.readTree(Fixtures.event(name)).path("meta").path("id").asText();

        assertThat(SearchDocument.id(rc)).isEqualTo(metaId);
    }

    @Test
    void theTemplateMapsExactlyTheContractFieldsAndTitleAlsoAsKeyword() throws Exception {
        JsonNode template;
        try (InputStream in = SearchDocument.class.getResourceAsStream("/opensearch/wikiedits-template.json")) {
            template = JSON.readTree(in);
        }
        JsonNode properties = template.path("template").path("mappings").path("properties");
        List<String> mapped = new ArrayList<>();
        properties.fieldNames().forEachRemaining(mapped::add);

        assertThat(mapped).containsExactlyElementsOf(CONTRACT_FIELDS);
        assertThat(properties.path("title").path("type").asText()).isEqualTo("text");
        assertThat(properties.path("title").path("fields").path("keyword").path("type").asText()).isEqualTo("keyword");
        assertThat(properties.path("user").path("type").asText()).isEqualTo("keyword");
        assertThat(properties.path("comment").path("type").asText()).isEqualTo("text");
        assertThat(properties.path("@timestamp").path("type").asText()).isEqualTo("date");
        assertThat(template.path("index_patterns").get(0).asText()).startsWith(SearchDocument.INDEX);
    }

    @Test
    void aFullDocumentHasEveryContractFieldInContractOrder() throws Exception {
        RecentChange rc = new RecentChange("id-1", T, "en.wikipedia.org", 1L, 2L, "edit", "enwiki", "en.wikipedia.org",
                0, "Title", "User", true, false, true, 10, 15, 100L, 101L, "lt", "la", "comment");

        List<String> fields = new ArrayList<>();
        JSON.readTree(SearchDocument.toJson(rc)).fieldNames().forEachRemaining(fields::add);

        assertThat(fields).containsExactlyElementsOf(CONTRACT_FIELDS);
    }

    @Test
    void absentValuesAreLeftOutAndTimestampIsUtcMilliseconds() {
        RecentChange bare = new RecentChange("id-2", Instant.parse("2026-08-04T15:24:29Z"), null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

        assertThat(SearchDocument.toJson(bare))
                .isEqualTo("{\"@timestamp\":\"2026-08-04T15:24:29.000Z\",\"event_id\":\"id-2\"}");
    }

    @Test
    void lengthDeltaNeedsTheNewLengthAndCountsAnAbsentOldLengthAsZero() {
        assertThat(SearchDocument.lengthDelta(withLengths(100, 90))).isEqualTo(-10L);
        assertThat(SearchDocument.lengthDelta(withLengths(null, 77))).isEqualTo(77L);
        assertThat(SearchDocument.lengthDelta(withLengths(100, null))).isNull();
        assertThat(SearchDocument.lengthDelta(withLengths(null, null))).isNull();
        assertThat(SearchDocument.lengthDelta(withLengths(Integer.MIN_VALUE, Integer.MAX_VALUE)))
                .as("no int overflow").isEqualTo(4294967295L);
    }

    private static RecentChange withLengths(Integer oldLength, Integer newLength) {
        return new RecentChange("id-3", T, null, null, null, null, null, null, null, null, null, null, null, null,
                oldLength, newLength, null, null, null, null, null);
    }
}
