package org.wikiedits.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.wikiedits.testing.Samples;

/**
 * The streaming {@link RecentChangeReader}, {@link CsvRow#of} and {@link SearchDocument#toJson} give
 * exactly what the tree reader and the old serialisations gave ({@link TreeRecentChangeReader}): the
 * same event or the same reason, the same row and document byte for byte, over every recorded sample
 * and fixture and over variants made from them (truncated, with trailing text, every field in every
 * shape, {@code meta.dt} in every form the formatter takes or refuses).
 */
class StreamingReaderEquivalenceTest {

    private static final String BASE_META = "\"meta\":{\"id\":\"x1\",\"dt\":\"2026-08-04T15:24:29.724Z\",\"domain\":\"d.org\"}";

    @Test
    void everySampleAndFixtureReadsAndSerialisesAsWithTheTree() {
        Set<String> inputs = new LinkedHashSet<>(Samples.lines());
        Fixtures.eventNames().forEach(name -> inputs.add(Fixtures.event(name)));
        Fixtures.malformedFiles().forEach(file -> inputs.add(Fixtures.malformed(file)));

        assertSameAsTree(inputs);
    }

    @Test
    void truncatedOrTrailedEventsFailForTheSameReasonAsWithTheTree() {
        Set<String> inputs = new LinkedHashSet<>();
        List<String> events = new ArrayList<>(Samples.lines().subList(0, 40));
        Fixtures.eventNames().forEach(name -> events.add(Fixtures.event(name)));
        for (String event : events) {
            for (int cut = 1; cut < event.length(); cut += Math.max(1, event.length() / 23)) {
                inputs.add(event.substring(0, cut));
            }
            for (String tail : List.of(" x", " {}", "[]", ",", "}", " null", "\uFEFF", " \"s\"", " 1")) {
                inputs.add(event + tail);
            }
            inputs.add("\uFEFF" + event + "\r\n");
        }
        for (String odd : List.of("[1,2]", "[1,", "\"text\"", "42", "4.5", "true", "null", "{", "}", "{}", "{} {}",
                "[{\"meta\":{}}]", "\uFEFF", "\uFEFF  ", "{\"meta\":{\"id\":\"x\"}", "{'meta':{}}", "{\"a\":01}",
                "{\"a\":\"\\q\"}", "{\"a\":\"x\ty\"}", "{\"a\":tru}", "{\"a\":NaN}", "{\"a\" 1}", "{\"a\":1,}")) {
            inputs.add(odd);
        }
        assertSameAsTree(inputs);
    }

    @Test
    void everyFieldInEveryShapeReadsAsWithTheTree() {
        List<String> shapes = List.of("null", "true", "false", "17", "-0", "\"17\"", "\" 17 \"", "\"+17\"", "\"1x\"",
                "17.0", "17.5", "1e3", "1.7E1", "-17", "2147483647", "2147483648", "-2147483649",
                "9223372036854775807", "9223372036854775808", "\"9223372036854775808\"", "123456789012345678901234",
                "\"TRUE\"", "\" false \"", "\"x\"", "\"\"", "\" \"", "\"a\\u0000b\"", "\"\\ud800x\"", "\"\\ud83d\\ude00\"",
                "\"line\\r\\nbreak\\rand\\nmore\"", "\"#c,d\\\"e\"", "\" lead\"", "\"trail \"", "[]", "[1,{\"a\":[2]}]", "{}",
                "{\"old\":1,\"new\":\"2\"}", "{\"new\":5}", "{\"old\":null,\"new\":3.0}", "{\"old\":[1],\"new\":{}}",
                "{\"new\":9,\"new\":10}");
        List<String> fields = List.of("timestamp", "id", "namespace", "type", "wiki", "server_name", "title", "user",
                "bot", "minor", "patrolled", "length", "revision", "log_type", "log_action", "comment", "log_params");
        Set<String> inputs = new LinkedHashSet<>();
        for (String field : fields) {
            for (String shape : shapes) {
                inputs.add("{" + BASE_META + ",\"" + field + "\":" + shape + "}");
                inputs.add("{\"" + field + "\":" + shape + "," + BASE_META + ",\"" + field + "\":\"second\"}");
            }
        }
        for (String shape : shapes) {
            inputs.add("{\"meta\":{\"id\":" + shape + ",\"dt\":\"2026-08-04T15:24:29Z\"}}");
            inputs.add("{\"meta\":{\"id\":\"x1\",\"dt\":" + shape + "}}");
            inputs.add("{\"meta\":{\"id\":\"x1\",\"dt\":\"2026-08-04T15:24:29Z\",\"domain\":" + shape + "}}");
            inputs.add("{\"meta\":" + shape + "}");
        }
        for (String id : List.of("x".repeat(512), "x".repeat(513), "é".repeat(256), "é".repeat(257), "€".repeat(170),
                "€".repeat(171), "\\ud800".repeat(300), "a\\u007fb", "a\\u0085b", "\\ud83d\\ude00")) {
            inputs.add("{\"meta\":{\"id\":\"" + id + "\",\"dt\":\"2026-08-04T15:24:29Z\"}}");
        }
        inputs.add("{" + BASE_META + ",\"meta\":{\"dt\":\"2026-08-04T15:24:29Z\"}}");
        inputs.add("{" + BASE_META + ",\"meta\":{\"id\":\"x2\",\"dt\":\"2026-08-04T15:24:29Z\",\"id\":\"x3\"}}");
        inputs.add("{\"meta\":{\"id\":\"x1\",\"dt\":\"2026-08-04T15:24:29Z\",\"domain\":\"canary\"},\"server_name\":\"\"}");
        assertSameAsTree(inputs);
    }

    @Test
    void metaDtInEveryFormReadsAsWithTheFormatter() {
        List<String> dts = List.of("2026-08-04T15:24:29.724Z", "2026-08-04T15:24:29Z", "2018-03-07T16:59:15+00:00",
                "2018-03-07T16:59:15.5+00:00", "2026-08-04T15:24:29.123456789Z", "2026-08-04T15:24:29.1234567890Z",
                "2026-08-04T15:24:29.Z", "2026-08-04T15:24Z", "2026-08-04T15:24:29-00:00", "2026-08-04T15:24:29+01:00",
                "2026-08-04T15:24:29+0000", "2026-08-04T15:24:29+00", "2026-08-04t15:24:29z", "2026-08-04T15:24:29z",
                "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59-01:00", "0000-01-01T00:30:00+01:00",
                "2026-02-29T00:00:00Z", "2024-02-29T00:00:00Z", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z",
                "2026-00-10T00:00:00Z", "2026-08-32T00:00:00Z", "2026-08-04T24:00:00Z", "2026-08-04T23:60:00Z",
                "2026-08-04T23:59:60Z", "2026-08-04T15:24:29", "2026-08-04 15:24:29Z", "2026-8-04T15:24:29Z",
                "+2026-08-04T15:24:29Z", "12026-08-04T15:24:29Z", "2026-08-04T15:24:29+00:00Z", "2026-08-04T15:24:29ZZ",
                "2026-08-04T1a:24:29Z", "2026-08-04T15:24:29.72aZ", " 2026-08-04T15:24:29Z ", "2026-08-04T15:24:29.000+00:00",
                "٢٠٢٦-08-04T15:24:29Z", "2026-08-04T15:24:29+18:00", "2026-08-04T15:24:29+19:00", "", "Z", "2026");
        Set<String> inputs = new LinkedHashSet<>();
        for (String dt : dts) {
            inputs.add("{\"meta\":{\"id\":\"x1\",\"dt\":\"" + dt + "\"},\"type\":\"edit\"}");
        }
        assertSameAsTree(inputs);
    }

    /** Each input read both ways: the same reason, or the same event, lake row and document. */
    private static void assertSameAsTree(Set<String> inputs) {
        List<String> differences = new ArrayList<>();
        for (String input : inputs) {
            String tree = outcome(input, true);
            String streaming = outcome(input, false);
            if (!tree.equals(streaming)) {
                differences.add("input " + abbreviate(input) + "\n  tree:      " + tree + "\n  streaming: " + streaming);
            }
        }
        assertThat(differences).as("%d inputs read differently (of %d)", differences.size(), inputs.size()).isEmpty();
    }

    private static String outcome(String input, boolean tree) {
        try {
            RecentChange rc = tree ? TreeRecentChangeReader.read(input) : RecentChangeReader.read(input);
            String row = tree ? TreeRecentChangeReader.csvRow(rc) : CsvRow.of(rc);
            String doc = tree ? TreeRecentChangeReader.searchDocument(rc) : SearchDocument.toJson(rc);
            return rc + "\n  row " + row + "  doc " + doc;
        } catch (MalformedEventException e) {
            return "refused: " + e.getMessage();
        } catch (Exception e) {
            return "failed: " + e;
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 160 ? text : text.substring(0, 160) + "...";
    }
}
