package org.wikiedits.source.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.wikiedits.transform.RecentChange;
import org.wikiedits.transform.RecentChangeReader;

class SyntheticEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant DT = Instant.parse("2026-08-04T15:24:29.724Z");

    private static List<JsonNode> first(int count) {
        return LongStream.rangeClosed(1, count).mapToObj(n -> {
            try {
                return JSON.readTree(SyntheticEvents.event(n, DT));
            } catch (Exception e) {
                throw new AssertionError("event " + n + " is not JSON", e);
            }
        }).toList();
    }

    @Test
    void eventNIsTheSameOnEveryCallExceptForItsTime() {
        for (long n = 1; n <= 200; n++) {
            assertThat(SyntheticEvents.event(n, DT)).isEqualTo(SyntheticEvents.event(n, DT));
            String later = SyntheticEvents.event(n, DT.plusSeconds(3600));
            assertThat(later.replace(DT.plusSeconds(3600).toString(), DT.toString())
                    .replace(String.valueOf(DT.plusSeconds(3600).getEpochSecond()), String.valueOf(DT.getEpochSecond())))
                    .isEqualTo(SyntheticEvents.event(n, DT));
        }
    }

    @Test
    void metaIdIsANameBasedUuidOfNAndUniquePerEvent() throws Exception {
        Set<String> ids = new HashSet<>();
        for (long n = 1; n <= 2000; n++) {
            JsonNode meta = JSON.readTree(SyntheticEvents.event(n, DT)).path("meta");
            assertThat(meta.path("id").asText()).isEqualTo(SyntheticEvents.eventId(n).toString());
            assertThat(meta.path("dt").asText()).isEqualTo("2026-08-04T15:24:29.724Z");
            ids.add(meta.path("id").asText());
        }
        assertThat(ids).hasSize(2000);
    }

    @Test
    void allFiveTypesManyWikisBotsAndHumansAndSomeCanariesAppear() {
        List<JsonNode> events = first(2000);
        assertThat(events).extracting(e -> e.path("type").asText()).contains("edit", "new", "log", "categorize", "external");
        assertThat(events.stream().map(e -> e.path("wiki").asText()).distinct().toList())
                .contains("enwiki", "dewiki", "wikidatawiki", "commonswiki", "jawiki", "arwiki").hasSizeGreaterThan(8);
        assertThat(events).extracting(e -> e.path("bot").asBoolean()).contains(true, false);
        assertThat(events).anyMatch(e -> e.path("meta").path("domain").asText().equals("canary"));
        assertThat(events.stream().filter(e -> e.path("meta").path("domain").asText().equals("canary")).count())
                .isLessThan(40);
    }

    @Test
    void logParamsComeAsArraysObjectsAndStrings() {
        List<JsonNode> logParams = first(2000).stream().filter(e -> e.path("type").asText().equals("log"))
                .map(e -> e.get("log_params")).toList();
        assertThat(logParams).isNotEmpty().doesNotContainNull();
        assertThat(logParams).anyMatch(JsonNode::isArray).anyMatch(JsonNode::isObject).anyMatch(JsonNode::isTextual);
    }

    @Test
    void titlesAndCommentsExerciseUnicodeQuotingAndLineBreaks() {
        List<JsonNode> events = first(2000);
        List<String> titles = events.stream().map(e -> e.path("title").asText()).toList();
        assertThat(titles).anyMatch(t -> t.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN))
                .anyMatch(t -> t.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.ARABIC))
                .anyMatch(t -> t.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.CYRILLIC))
                .anyMatch(t -> t.codePoints().anyMatch(Character::isSupplementaryCodePoint));
        List<String> comments = events.stream().map(e -> e.path("comment").asText()).toList();
        assertThat(comments).anyMatch(c -> c.contains(",")).anyMatch(c -> c.contains("\"")).anyMatch(c -> c.contains("\n"));
    }

    @Test
    void everyEventReadsAsARecentChangeWithTheFieldsOfItsType() throws Exception {
        for (long n = 1; n <= 2000; n++) {
            String json = SyntheticEvents.event(n, DT);
            RecentChange change = RecentChangeReader.read(json);
            assertThat(change.eventId()).isEqualTo(SyntheticEvents.eventId(n).toString());
            assertThat(change.eventTime()).isEqualTo(DT);
            assertThat(change.wiki()).isNotBlank();
            assertThat(change.title()).isNotBlank();
            switch (change.type()) {
                case "edit" -> assertThat(change.revisionOld()).isNotNull().isLessThan(change.revisionNew());
                case "new" -> assertThat(change.revisionOld()).isNull();
                case "log" -> assertThat(change.logType()).isNotBlank();
                default -> assertThat(change.type()).isIn("categorize", "external");
            }
        }
    }
}
