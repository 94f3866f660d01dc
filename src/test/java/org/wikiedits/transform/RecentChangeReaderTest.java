package org.wikiedits.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RecentChangeReaderTest {

    static List<String> eventNames() {
        return Fixtures.eventNames();
    }

    static List<String> malformedFiles() {
        return Fixtures.malformedFiles();
    }

    @ParameterizedTest
    @MethodSource("eventNames")
    void everyFixtureEventReadsWithItsMetaIdAsEventId(String name) {
        RecentChange rc = Fixtures.recentChange(name);

        assertThat(rc.eventId()).isNotBlank();
        assertThat(Fixtures.event(name)).contains("\"" + rc.eventId() + "\"");
        assertThat(rc.eventTime()).isNotNull();
    }

    @Test
    void aCompleteEditKeepsEveryField() {
        RecentChange rc = Fixtures.recentChange("edit-basic");

        assertThat(rc).isEqualTo(new RecentChange(
                "7a4bd0e1-3f8c-4b52-9d1e-2c6f8a0b1e01", Instant.parse("2026-08-04T15:24:29.882Z"), "en.wikipedia.org",
                1785857069L, 2053800699L, "edit", "enwiki", "en.wikipedia.org", 0,
                "Hans Moldenhauer (musicologist)", "MONTENSEM", false, false, null,
                4978, 4975, 1367658100L, 1367685440L, null, null, "/* Life and career */ ce"));
    }

    @Test
    void numbersGivenAsStringsAreNumbers() {
        RecentChange rc = Fixtures.recentChange("edit-numbers-as-strings");

        assertThat(rc.rcId()).isEqualTo(2053800700L);
        assertThat(rc.namespace()).isEqualTo(0);
        assertThat(rc.timestamp()).isEqualTo(1785857071L);
        assertThat(rc.lengthOld()).isEqualTo(4978);
        assertThat(rc.lengthNew()).isEqualTo(4975);
        assertThat(rc.revisionOld()).isEqualTo(1367658100L);
        assertThat(rc.revisionNew()).isEqualTo(1367685441L);
    }

    @Test
    void numbersBeyondTheColumnRangeAreAbsentAndLargeLongsStayExact() {
        RecentChange rc = Fixtures.recentChange("edit-huge-numbers");

        assertThat(rc.rcId()).isEqualTo(Long.MAX_VALUE);
        assertThat(rc.namespace()).as("4294967296 does not fit an int").isNull();
        assertThat(rc.lengthOld()).isEqualTo(Integer.MAX_VALUE);
        assertThat(rc.lengthNew()).as("2^31 does not fit an int").isNull();
        assertThat(rc.revisionOld()).as("2^53+1 must not pass through a double").isEqualTo(9007199254740993L);
        assertThat(rc.revisionNew()).as("10^20 does not fit a long").isNull();
        assertThat(rc.timestamp()).as("1785857071.0 is a whole number").isEqualTo(1785857071L);
    }

    @Test
    void serverNameFallsBackToMetaDomain() {
        RecentChange rc = Fixtures.recentChange("edit-no-server-name");

        assertThat(rc.serverName()).isEqualTo("de.wikipedia.org");
        assertThat(rc.domain()).isEqualTo("de.wikipedia.org");
    }

    @Test
    void aBlankServerNameAlsoFallsBackToMetaDomain() throws Exception {
        RecentChange rc = RecentChangeReader.read(
                "{\"meta\":{\"id\":\"x1\",\"dt\":\"2026-08-04T15:24:29Z\",\"domain\":\"fr.wikipedia.org\"},\"server_name\":\" \"}");

        assertThat(rc.serverName()).isEqualTo("fr.wikipedia.org");
    }

    @Test
    void absentBooleansAreNull() {
        RecentChange rc = Fixtures.recentChange("edit-booleans-absent");

        assertThat(rc.bot()).isNull();
        assertThat(rc.minor()).isNull();
        assertThat(rc.patrolled()).isNull();
    }

    @Test
    void booleansGivenAsStringsAreBooleansAndOtherShapesAreAbsent() throws Exception {
        RecentChange rc = RecentChangeReader.read("{\"meta\":{\"id\":\"x1\",\"dt\":\"2026-08-04T15:24:29Z\"},"
                + "\"bot\":\"TRUE\",\"minor\":\"false\",\"patrolled\":1}");

        assertThat(rc.bot()).isTrue();
        assertThat(rc.minor()).isFalse();
        assertThat(rc.patrolled()).isNull();
    }

    @Test
    void nullOrAbsentLengthAndRevisionAreAbsent() {
        RecentChange rc = Fixtures.recentChange("edit-length-null-revision-absent");

        assertThat(rc.lengthOld()).isNull();
        assertThat(rc.lengthNew()).isNull();
        assertThat(rc.revisionOld()).isNull();
        assertThat(rc.revisionNew()).isNull();
    }

    @Test
    void aNewPageHasOnlyNewLengthAndRevision() {
        for (String name : List.of("new-page", "new-page-2018-null-old")) {
            RecentChange rc = Fixtures.recentChange(name);

            assertThat(rc.type()).isEqualTo("new");
            assertThat(rc.lengthOld()).as(name).isNull();
            assertThat(rc.revisionOld()).as(name).isNull();
            assertThat(rc.lengthNew()).as(name).isNotNull();
            assertThat(rc.revisionNew()).as(name).isNotNull();
        }
    }

    @Test
    void logEventsWithoutIdAndWithAnyLogParamsShapeRead() {
        assertThat(Fixtures.recentChange("log-params-array-no-id").rcId()).isNull();
        assertThat(Fixtures.recentChange("log-id-null-abusefilter").rcId()).isNull();
        assertThat(Fixtures.recentChange("log-params-object").rcId()).isEqualTo(540029193L);
        RecentChange rc = Fixtures.recentChange("log-params-string");
        assertThat(rc.logType()).isEqualTo("protect");
        assertThat(rc.logAction()).isEqualTo("modify");
    }

    @Test
    void unknownFieldsAndOddShapesOfKnownFieldsAreIgnored() throws Exception {
        RecentChange rc = Fixtures.recentChange("edit-unknown-fields");
        assertThat(rc.lengthNew()).isEqualTo(4169);

        RecentChange odd = RecentChangeReader.read("{\"meta\":{\"id\":\"x1\",\"dt\":\"2026-08-04T15:24:29Z\"},"
                + "\"title\":{\"nested\":true},\"comment\":[\"a\"],\"length\":17,\"revision\":\"r\",\"namespace\":1.5}");
        assertThat(odd.title()).isNull();
        assertThat(odd.comment()).isNull();
        assertThat(odd.lengthNew()).isNull();
        assertThat(odd.revisionNew()).isNull();
        assertThat(odd.namespace()).as("1.5 is no namespace").isNull();
    }

    @Test
    void unicodeIncludingTheAstralPlaneIsKeptAsIs() {
        RecentChange rc = Fixtures.recentChange("edit-unicode");

        assertThat(rc.title()).isEqualTo("ירושלים");
        assertThat(rc.comment()).contains("🎉", "𝄞", "café\u0301", "\u2028sep\u2029", "\u200f");
    }

    @Test
    void loneSurrogatesAndNulBecomeReplacementCharacters() {
        RecentChange rc = Fixtures.recentChange("edit-lone-surrogate-and-nul");

        assertThat(rc.title()).isEqualTo("Broken \uFFFD text");
        assertThat(rc.comment()).isEqualTo("a\uFFFDb \uFFFD c \uD83D\uDE00 d");
    }

    @ParameterizedTest(name = "meta.dt {0} is {1}")
    @CsvSource({
            "2026-08-04T15:24:29.724Z, 2026-08-04T15:24:29.724Z",
            "2026-08-04T15:24:29Z, 2026-08-04T15:24:29.000Z",
            "2026-08-04T15:24Z, 2026-08-04T15:24:00.000Z",
            "2018-03-07T16:59:15+00:00, 2018-03-07T16:59:15.000Z",
            "2026-08-04T15:24:29.7+00:00, 2026-08-04T15:24:29.700Z",
            "2026-08-05T01:30:00.123456789+02:00, 2026-08-04T23:30:00.123Z",
            "2026-08-04T15:24:29.999999-05:30, 2026-08-04T20:54:29.999Z",
            "2026-08-04T15:24:29+0530, 2026-08-04T09:54:29.000Z",
            "2026-08-04T15:24:29-03, 2026-08-04T18:24:29.000Z",
            "2026-08-04t15:24:29.5z, 2026-08-04T15:24:29.500Z",
            "2026-12-31T23:59:59.9999Z, 2026-12-31T23:59:59.999Z",
    })
    void metaDtWithOrWithoutMillisAndWithOffsetsBecomesUtcWithMilliseconds(String dt, String eventTime) throws Exception {
        RecentChange rc = RecentChangeReader.read("{\"meta\":{\"id\":\"x1\",\"dt\":\"" + dt + "\"}}");

        assertThat(LakeColumn.EVENT_TIME.valueOf(rc)).isEqualTo(eventTime);
    }

    @ParameterizedTest
    @MethodSource("malformedFiles")
    void malformedInputIsRejectedWithItsReason(String file) {
        String input = Fixtures.malformed(file);

        assertThatThrownBy(() -> RecentChangeReader.read(input))
                .isInstanceOf(MalformedEventException.class)
                .message().startsWith(Fixtures.expectedReason(file));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{}| missing meta.id",
            "{\"meta\":null}| missing meta.id",
            "{\"meta\":\"x\"}| missing meta.id",
            "null| not a JSON object but JSON null",
            "42| not a JSON object but a JSON number",
            "{\"meta\":{\"id\":\"x1\",\"dt\":\"\"}}| meta.dt is not an ISO-8601 date-time with a UTC offset",
            "{\"meta\":{\"id\":\"x1\",\"dt\":\"+12026-08-04T15:24:29Z\"}}| meta.dt is outside the years 0000-9999",
            "{\"meta\":{\"id\":\"x1\",\"dt\":\"2026-08-04 15:24:29Z\"}}| meta.dt is not an ISO-8601 date-time with a UTC offset",
            "{\"meta\":{\"id\":\"x\\ny\",\"dt\":\"2026-08-04T15:24:29Z\"}}| meta.id contains control characters",
            "{\"meta\":{\"id\":\"x1\",\"dt\":\"2026-08-04T15:24:29Z\"}| truncated JSON",
            "{\"meta\":{\"id\":\"x1\",\"dt\":\"2026-08-04T15:24:29Z\"}} trailing| not valid JSON",
            "{'meta':{}}| not valid JSON",
    })
    void otherUnusableInputIsRejectedWithAClearReason(String input, String reason) {
        assertThatThrownBy(() -> RecentChangeReader.read(input))
                .isInstanceOf(MalformedEventException.class)
                .message().startsWith(reason.strip());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\n"})
    void emptyInputIsRejected(String input) {
        assertThatThrownBy(() -> RecentChangeReader.read(input)).hasMessage("empty event");
        assertThatThrownBy(() -> RecentChangeReader.read(null)).hasMessage("empty event");
    }

    @Test
    void aMetaIdLongerThanAnIndexIdCanBeIsRejected() {
        String id = "x".repeat(513);

        assertThatThrownBy(() -> RecentChangeReader.read("{\"meta\":{\"id\":\"" + id + "\",\"dt\":\"2026-08-04T15:24:29Z\"}}"))
                .hasMessage("meta.id is longer than 512 bytes");
    }

    @Test
    void aByteOrderMarkAndSurroundingWhitespaceAreTolerated() throws Exception {
        RecentChange rc = RecentChangeReader.read("\uFEFF" + Fixtures.event("edit-basic") + "\r\n");

        assertThat(rc).isEqualTo(Fixtures.recentChange("edit-basic"));
    }

    @Test
    void canaryEventsAreRecognisedByTheirDomain() throws Exception {
        RecentChange canary = RecentChangeReader.read(
                "{\"meta\":{\"id\":\"c1\",\"dt\":\"2026-08-04T15:24:29Z\",\"domain\":\"canary\"},\"type\":\"edit\"}");

        assertThat(canary.isCanary()).isTrue();
        assertThat(Fixtures.recentChange("edit-basic").isCanary()).isFalse();
    }
}
