package org.wikiedits.source.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.source.SourceEvent;
import org.wikiedits.testing.Samples;

class NdjsonReplayTest {

    @TempDir
    Path dir;

    private static String event(String id, Instant dt) {
        return "{\"meta\":{\"id\":\"" + id + "\",\"dt\":\"" + dt + "\"},\"type\":\"edit\",\"title\":\"東京, \\\"quoted\\\"\"}";
    }

    private Path recording(String... lines) throws IOException {
        Path file = dir.resolve("recording.ndjson");
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    private static List<SourceEvent> replay(Path file, double speed, Optional<String> resumeAfter) throws InterruptedException {
        List<SourceEvent> events = new ArrayList<>();
        new NdjsonReplay(file, speed, resumeAfter).run(events::add);
        return events;
    }

    @Test
    void eachLineIsAnEventWhoseIdIsItsLineNumberAndBlankLinesAreSkipped() throws Exception {
        Instant t = Instant.parse("2026-08-04T15:24:29.724Z");
        Path file = recording(event("a", t), "", event("b", t), "   ", event("c", t));
        List<SourceEvent> events = replay(file, 0, Optional.empty());
        assertThat(events).extracting(SourceEvent::id).containsExactly("1", "3", "5");
        assertThat(events).extracting(SourceEvent::data).containsExactly(event("a", t), event("b", t), event("c", t));
        assertThat(events).extracting(SourceEvent::type).containsOnly("message");
    }

    @Test
    void resumingSkipsEveryLineUpToTheLastEventId() throws Exception {
        Instant t = Instant.parse("2026-08-04T15:24:29.724Z");
        Path file = recording(event("a", t), event("b", t), "", event("c", t), event("d", t));
        assertThat(replay(file, 0, Optional.of("2"))).extracting(SourceEvent::id).containsExactly("4", "5");
        assertThat(replay(file, 0, Optional.of("5"))).isEmpty();
        assertThat(replay(file, 0, Optional.of("not-a-line"))).hasSize(4);
    }

    @Test
    void speedZeroIgnoresTheRecordedGaps() throws Exception {
        Instant t = Instant.parse("2026-08-04T00:00:00Z");
        Path file = recording(event("a", t), event("b", t.plus(Duration.ofHours(1))), event("c", t.plus(Duration.ofHours(2))));
        long started = System.nanoTime();
        assertThat(replay(file, 0, Optional.empty())).hasSize(3);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).as("seconds for two 1-hour gaps").isLessThan(5);
    }

    @Test
    void aPositiveSpeedReproducesTheRecordedGapsDividedByIt() throws Exception {
        Instant t = Instant.parse("2026-08-04T00:00:00Z");
        Path file = recording(event("a", t), event("b", t.plusMillis(300)), event("c", t.plusMillis(600)));
        long started = System.nanoTime();
        assertThat(replay(file, 2, Optional.empty())).hasSize(3);
        // 600 ms of recording at twice the pace: at least about 300 ms (only a lower bound is reliable)
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isGreaterThanOrEqualTo(280);
    }

    @Test
    void closingStopsAReplayThatWaitsForTheNextEvent() throws Exception {
        Instant t = Instant.parse("2026-08-04T00:00:00Z");
        Path file = recording(event("a", t), event("b", t.plusSeconds(30)));
        NdjsonReplay replay = new NdjsonReplay(file, 1, Optional.empty());
        List<SourceEvent> events = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try {
                replay.run(events::add);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        reader.start();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 1);
        replay.close();
        reader.join(5000);
        assertThat(reader.isAlive()).isFalse();
        assertThat(events).hasSize(1);
    }

    @Test
    void aNegativeSpeedIsRefused() {
        assertThatThrownBy(() -> new NdjsonReplay(dir.resolve("x"), -1, Optional.empty())).hasMessageContaining("replaySpeed");
    }

    @Test
    void theSharedRealSamplesReplayLineForLine() throws Exception {
        for (Map.Entry<String, List<String>> sample : Samples.byFileName().entrySet()) {
            Path file = Samples.FOLDER.resolve(sample.getKey());
            assertThat(replay(file, 0, Optional.empty())).extracting(SourceEvent::data).as(file.toString())
                    .containsExactlyElementsOf(sample.getValue());
        }
    }

    @Test
    void aLineThatIsNotUtf8IsDeliveredWithItsBytesAndTheRecordingGoesOn() throws Exception {
        Instant t = Instant.parse("2026-08-04T15:24:29.724Z");
        byte[] bad = event("b", t).getBytes(StandardCharsets.UTF_8);
        bad[bad.length - 5] = (byte) 0xFF;
        Path file = dir.resolve("recording.ndjson");
        try (var out = Files.newOutputStream(file)) {
            out.write((event("a", t) + "\n").getBytes(StandardCharsets.UTF_8));
            out.write(bad);
            out.write(("\r\n" + event("c", t)).getBytes(StandardCharsets.UTF_8)); // CRLF, and no line end at the end
        }
        List<SourceEvent> events = replay(file, 0, Optional.empty());
        assertThat(events).extracting(SourceEvent::id).containsExactly("1", "2", "3");
        assertThat(events.get(1).data()).isEqualTo(new String(bad, StandardCharsets.UTF_8)).contains("\uFFFD");
        assertThat(events.get(1).invalidUtf8()).isEqualTo(bad);
        assertThat(events.get(0).invalidUtf8()).isNull();
        assertThat(events.get(2).data()).isEqualTo(event("c", t));
    }
}
