package org.wikiedits.source.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

    private static List<SseEvent> parse(String... chunks) {
        SseParser parser = new SseParser();
        List<SseEvent> events = new ArrayList<>();
        for (String chunk : chunks) {
            events.addAll(parser.feed(chunk));
        }
        return events;
    }

    @Test
    void aBlankLineDispatchesTheEventWithItsIdAndTheDefaultType() {
        assertThat(parse("id: 7\ndata: {\"a\":1}\n\n"))
                .containsExactly(new SseEvent("7", "message", "{\"a\":1}"));
    }

    @Test
    void dataLinesAreJoinedWithLineFeeds() {
        assertThat(parse("data: first\ndata: second\ndata:\ndata: fourth\n\n"))
                .extracting(SseEvent::data).containsExactly("first\nsecond\n\nfourth");
    }

    @Test
    void commentsAreIgnoredEvenBetweenDataLines() {
        assertThat(parse(": hello\ndata: a\n:keep-alive\ndata: b\n\n:\n\n"))
                .extracting(SseEvent::data).containsExactly("a\nb");
    }

    @Test
    void crLfAndCrLfAllEndLines() {
        String lf = "event: edit\nid: 1\ndata: x\n\n";
        String cr = "event: edit\rid: 1\rdata: x\r\r";
        String crlf = "event: edit\r\nid: 1\r\ndata: x\r\n\r\n";
        SseEvent expected = new SseEvent("1", "edit", "x");
        assertThat(parse(lf)).containsExactly(expected);
        assertThat(parse(cr)).containsExactly(expected);
        assertThat(parse(crlf)).containsExactly(expected);
        assertThat(parse("data: a\r\n\r\ndata: b\r\rdata: c\n\n"))
                .extracting(SseEvent::data).containsExactly("a", "b", "c");
    }

    @Test
    void anEventSplitAtEveryPositionParsesTheSameAsInOnePiece() {
        String stream = "\uFEFFretry: 250\r\n: comment\r\nevent: message\r\nid: [{\"offset\":1}]\r\ndata: {\"title\":\"東京 🌅\"}\r\n\r\n"
                + "id: 2\rdata: two\rdata: lines\r\rid: 3\ndata: three\n\n";
        List<SseEvent> whole = parse(stream);
        assertThat(whole).hasSize(3);
        for (int i = 0; i <= stream.length(); i++) {
            assertThat(parse(stream.substring(0, i), stream.substring(i))).as("split at %d", i).isEqualTo(whole);
        }
        for (int i = 0; i <= stream.length(); i++) {
            for (int j = i; j <= stream.length(); j += 7) {
                assertThat(parse(stream.substring(0, i), stream.substring(i, j), stream.substring(j)))
                        .as("split at %d and %d", i, j).isEqualTo(whole);
            }
        }
        String[] oneCharEach = stream.split("");
        assertThat(parse(oneCharEach)).isEqualTo(whole);
    }

    @Test
    void aCrAtTheEndOfOneChunkAndItsLfInTheNextAreOneLineEnd() {
        assertThat(parse("data: a\r", "\ndata: b\r", "\n\r", "\n"))
                .extracting(SseEvent::data).containsExactly("a\nb");
    }

    @Test
    void retryWithDigitsSetsTheReconnectDelayAndOtherValuesAreIgnored() {
        SseParser parser = new SseParser();
        assertThat(parser.retryMillis()).isEmpty();
        parser.feed("retry: 3000\n\n");
        assertThat(parser.retryMillis()).hasValue(3000);
        parser.feed("retry: soon\nretry: 12s\nretry: -5\nretry:\n\n");
        assertThat(parser.retryMillis()).hasValue(3000);
        parser.feed("retry:150\n\n");
        assertThat(parser.retryMillis()).hasValue(150);
    }

    @Test
    void theIdCarriesOverToLaterEventsUntilChangedAndAnIdWithNulIsIgnored() {
        assertThat(parse("id: a\ndata: 1\n\ndata: 2\n\nid: b\u0000c\ndata: 3\n\nid\ndata: 4\n\n"))
                .extracting(SseEvent::id).containsExactly("a", "a", "a", "");
    }

    @Test
    void aResumedParserStartsFromTheGivenId() {
        SseParser parser = new SseParser("resume-7");
        assertThat(parser.feed("data: x\n\n")).containsExactly(new SseEvent("resume-7", "message", "x"));
        assertThat(new SseParser().feed("data: x\n\n")).containsExactly(new SseEvent(null, "message", "x"));
    }

    @Test
    void anIdWithoutDataDispatchesNothingButSetsTheLastId() {
        SseParser parser = new SseParser();
        assertThat(parser.feed("id: 42\n\n")).isEmpty();
        assertThat(parser.lastEventId()).isEqualTo("42");
    }

    @Test
    void anEventIsNotDispatchedBeforeItsBlankLineSoAStreamWithoutTrailingNewlineLeavesItPending() {
        SseParser parser = new SseParser();
        assertThat(parser.feed("data: complete\n\ndata: partial")).extracting(SseEvent::data).containsExactly("complete");
        assertThat(parser.feed("\n")).isEmpty();
        assertThat(parser.feed("\n")).extracting(SseEvent::data).containsExactly("partial");
    }

    @Test
    void aLeadingByteOrderMarkIsSkippedButOnlyAtTheStart() {
        assertThat(parse("\uFEFFdata: x\n\n")).extracting(SseEvent::data).containsExactly("x");
        assertThat(parse("\uFEFF", "data: x\n\n")).extracting(SseEvent::data).containsExactly("x");
        assertThat(parse("data: \uFEFFx\n\n")).extracting(SseEvent::data).containsExactly("\uFEFFx");
    }

    @Test
    void aFieldWithoutColonHasAnEmptyValueAndOnlyOneLeadingSpaceIsDropped() {
        assertThat(parse("data\n\n")).extracting(SseEvent::data).containsExactly("");
        assertThat(parse("data:  two spaces\ndata:none\n\n")).extracting(SseEvent::data).containsExactly(" two spaces\nnone");
        assertThat(parse("event\ndata: x\n\n")).extracting(SseEvent::type).containsExactly("message");
    }

    @Test
    void unknownFieldsAreIgnoredAndTheEventTypeResetsAfterEachEvent() {
        assertThat(parse("foo: bar\nevent: custom\ndata: 1\n\ndata: 2\n\n"))
                .containsExactly(new SseEvent(null, "custom", "1"), new SseEvent(null, "message", "2"));
    }

    @Test
    void aColonInsideTheValueIsKept() {
        assertThat(parse("data: {\"dt\":\"2026-01-01T00:00:00Z\"}\n\n"))
                .extracting(SseEvent::data).containsExactly("{\"dt\":\"2026-01-01T00:00:00Z\"}");
    }

    @Test
    void anEventWithADataLineThatIsNotUtf8CarriesAllItsDataBytesAsReceived() {
        SseParser parser = new SseParser();
        byte[] bad = {'d', 'a', 't', 'a', ':', ' ', 'b', (byte) 0xFF};
        assertThat(parser.feedLine("\uFEFFid: 9", null)).isEmpty();
        assertThat(parser.feedLine("data: é", null)).isEmpty();
        assertThat(parser.feedLine("data: b\uFFFD", bad)).isEmpty();
        assertThat(parser.feedLine("data: c", null)).isEmpty();
        List<SseEvent> events = parser.feedLine("", null);
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.id()).isEqualTo("9");
            assertThat(event.data()).isEqualTo("é\nb\uFFFD\nc");
            assertThat(event.invalidUtf8()).containsExactly(0xC3, 0xA9, '\n', 'b', 0xFF, '\n', 'c');
        });
        assertThat(parser.feedLine("data: fine", null)).isEmpty();
        assertThat(parser.feedLine("", null)).singleElement()
                .satisfies(event -> assertThat(event.invalidUtf8()).as("the next event is clean").isNull());
    }

    @Test
    void everySampleStreamedInChunksOfAnySizeWithAnyLineEndArrivesAsItsDataAndId() {
        List<String> samples = org.wikiedits.testing.Samples.lines();
        for (String eol : List.of("\n", "\r\n", "\r")) {
            java.io.ByteArrayOutputStream stream = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < samples.size(); i++) {
                stream.writeBytes(("event: message" + eol + "id: [{\"offset\":" + i + "}]" + eol + ": comment" + eol
                        + "data: " + samples.get(i) + eol + eol).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            byte[] bytes = stream.toByteArray();
            for (int chunk : new int[] {7, 1000, 16 * 1024}) {
                org.wikiedits.source.Utf8Lines lines = new org.wikiedits.source.Utf8Lines();
                SseParser parser = new SseParser();
                List<SseEvent> events = new ArrayList<>();
                for (int at = 0; at < bytes.length; at += chunk) {
                    for (org.wikiedits.source.Utf8Lines.Line line
                            : lines.feed(java.nio.ByteBuffer.wrap(bytes, at, Math.min(chunk, bytes.length - at)))) {
                        events.addAll(parser.feedLine(line.text(), line.invalidUtf8()));
                    }
                }
                assertThat(events).as("line end %s, chunks of %d bytes", eol.replace("\r", "CR").replace("\n", "LF"), chunk)
                        .extracting(SseEvent::data).containsExactlyElementsOf(samples);
                assertThat(events.get(samples.size() - 1).id()).isEqualTo("[{\"offset\":" + (samples.size() - 1) + "}]");
                assertThat(events).allSatisfy(event -> assertThat(event.invalidUtf8()).isNull());
            }
        }
    }
}
