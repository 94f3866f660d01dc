package org.wikiedits.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.dataformat.csv.CsvDataFormat;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CsvRowTest {

    private static final Instant T = Instant.parse("2026-08-04T15:24:29.724Z");

    static List<String> eventNames() {
        return Fixtures.eventNames();
    }

    @ParameterizedTest
    @MethodSource("eventNames")
    void everyFixtureGivesExactlyItsExpectedRow(String name) {
        assertThat(CsvRow.of(Fixtures.recentChange(name))).isEqualTo(Fixtures.expectedCsv(name));
    }

    /** The route writes rows with camel-csv's data format over {@link CsvRow#FORMAT}, the Lambda with commons-csv: same bytes. */
    @ParameterizedTest
    @MethodSource("eventNames")
    void theRoutesCamelCsvMarshalWritesTheSameRowAsTheLambda(String name) throws Exception {
        RecentChange rc = Fixtures.recentChange(name);
        try (CamelContext camel = new DefaultCamelContext()) {
            CsvDataFormat lakeCsv = new CsvDataFormat(CsvRow.FORMAT);
            lakeCsv.start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            lakeCsv.marshal(new DefaultExchange(camel), List.of(CsvRow.namedValues(rc)), out);
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(CsvRow.of(rc));
        }
    }

    @ParameterizedTest
    @MethodSource("eventNames")
    void everyExpectedRowReadsBackToTheEventsValues(String name) throws Exception {
        RecentChange rc = Fixtures.recentChange(name);
        try (CSVParser parser = CSVParser.parse(Fixtures.expectedCsv(name), CsvRow.FORMAT)) {
            List<CSVRecord> records = parser.getRecords();
            assertThat(records).hasSize(1);
            assertThat(records.get(0).toList()).containsExactlyElementsOf(
                    CsvRow.values(rc).stream().map(value -> value == null ? "" : value).toList());
        }
    }

    @Test
    void valuesWithLeadingSpacesOrAHashAreQuotedAndOtherwiseOnlyCommasAndQuotesAre() {
        RecentChange rc = new RecentChange("id-4", T, null, null, null, null, null, null, null,
                " lead", "#hash", null, null, null, null, null, null, null, null, null, "plain text; with: punctuation");

        assertThat(CsvRow.of(rc)).isEqualTo("id-4,2026-08-04T15:24:29.724Z,,,,,,,\" lead\",\"#hash\",,,,,,,,,,plain text; with: punctuation\n");
    }

    @ParameterizedTest
    @MethodSource("eventNames")
    void theNamedValuesAreTheValuesUnderTheirColumnNamesInOrder(String name) {
        RecentChange rc = Fixtures.recentChange(name);
        Map<String, String> named = CsvRow.namedValues(rc);
        assertThat(named.keySet()).containsExactlyElementsOf(Arrays.stream(LakeColumn.values()).map(LakeColumn::columnName).toList());
        assertThat(new ArrayList<>(named.values())).isEqualTo(CsvRow.values(rc));
    }

    @Test
    void theColumnsAreTheTwentyOfTheContractInOrder() {
        assertThat(Arrays.stream(LakeColumn.values()).map(LakeColumn::columnName)).containsExactly(
                "event_id", "event_time", "timestamp", "rc_id", "type", "wiki", "server_name", "namespace", "title",
                "user", "bot", "minor", "patrolled", "length_old", "length_new", "revision_old", "revision_new",
                "log_type", "log_action", "comment");
    }

    @Test
    void anEventWithOnlyIdAndTimeHasEighteenEmptyFields() {
        RecentChange bare = new RecentChange("id-1", T, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null);

        assertThat(CsvRow.of(bare)).isEqualTo("id-1,2026-08-04T15:24:29.724Z" + ",".repeat(18) + "\n");
    }

    @Test
    void crLfCrlfAndNulNeverReachTheRowAndQuotesAreDoubled() {
        RecentChange nasty = new RecentChange("id-2", T, null, null, null, null, null, null, null,
                "a\r\nb\rc\nd", "\"quoted\", user", null, null, null, null, null, null, null, null, null, "x\u0000y");

        String row = CsvRow.of(nasty);

        assertThat(row).endsWith("\n").doesNotContain("\r").doesNotContain("\u0000");
        assertThat(row.indexOf('\n')).isEqualTo(row.length() - 1);
        assertThat(row).contains(",a b c d,\"\"\"quoted\"\", user\",").endsWith(",x\uFFFDy\n");
    }

    @Test
    void anEmptyStringIsAnEmptyFieldLikeAnAbsentValue() {
        RecentChange empty = new RecentChange("id-3", T, null, null, null, "", null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, "");

        assertThat(CsvRow.of(empty)).isEqualTo("id-3,2026-08-04T15:24:29.724Z" + ",".repeat(18) + "\n");
    }

    @Test
    void booleansAndNumbersAreWrittenPlainly() {
        RecentChange rc = new RecentChange("id-4", T, null, 1L, Long.MIN_VALUE, null, null, null, -1, null, null,
                true, false, null, Integer.MIN_VALUE, 0, 0L, Long.MAX_VALUE, null, null, null);

        assertThat(CsvRow.of(rc)).isEqualTo("id-4,2026-08-04T15:24:29.724Z,1,-9223372036854775808,,,,-1,,,true,false,,"
                + "-2147483648,0,0,9223372036854775807,,,\n");
    }

    @Test
    void eventTimeIsTruncatedToMillisecondsInUtc() {
        RecentChange rc = new RecentChange("id-5", Instant.parse("1999-12-31T23:59:59.999999999Z"), null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

        assertThat(CsvRow.of(rc)).startsWith("id-5,1999-12-31T23:59:59.999Z,");
    }

    @Test
    void theEventIdOfARowIsItsFirstFieldUnquoted() {
        assertThat(CsvRow.eventIdOf("abc,def")).isEqualTo("abc");
        assertThat(CsvRow.eventIdOf("\"a,\"\"b\",c")).isEqualTo("a,\"b");
        assertThat(CsvRow.eventIdOf("\"unterminated")).isNull();
        assertThat(CsvRow.eventIdOf("only")).isEqualTo("only");
    }
}
