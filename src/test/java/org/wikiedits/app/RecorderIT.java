package org.wikiedits.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.config.Settings;
import org.wikiedits.source.generator.SyntheticEvents;
import org.wikiedits.testing.LoopbackPorts;
import org.wikiedits.testing.SseTestServer.Connection;
import org.wikiedits.testing.SseTestServer;

/** {@code record} against a local SSE server. */
class RecorderIT {

    private static final String USER_AGENT = "wikiedits-recorder-test/1.0 (https://example.org; ops@example.org)";

    @TempDir
    Path dir;

    private SseTestServer server;
    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

    @BeforeEach
    void startServer() throws Exception {
        server = SseTestServer.start(IntStream.rangeClosed(1, 8)
                .mapToObj(n -> SyntheticEvents.event(n, Instant.parse("2026-08-04T15:24:29Z").plusSeconds(n))).toList());
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private Settings settings() {
        return Settings.load().with(Map.of(
                "wikiedits.source.url", server.url(),
                "wikiedits.source.user-agent", USER_AGENT,
                "wikiedits.source.since", "2026-08-04T15:00:00Z"));
    }

    private int record(String... args) throws InterruptedException {
        return Recorder.parse(args).record(settings(), new PrintStream(progress, true, StandardCharsets.UTF_8));
    }

    @Test
    void recordsEachEventsDataAsOneLineUntilTheLimit() throws Exception {
        Path file = dir.resolve("recording.ndjson");
        assertThat(record(file.toString(), "--limit", "5")).isZero();
        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).containsExactlyElementsOf(server.events().subList(0, 5));
        assertThat(server.request(0).header("User-Agent")).isEqualTo(USER_AGENT);
        assertThat(server.request(0).header("Accept")).isEqualTo("text/event-stream");
        assertThat(server.request(0).queryParameters()).containsEntry("since", "2026-08-04T15:00:00Z");
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("recorded 5 events to " + file);
    }

    @Test
    void keepsRecordingAcrossDisconnectsWithoutLossOrRepeats() throws Exception {
        server.then(Connection.serve(3)).then(Connection.status(503)).then(Connection.serve(2).withCutMidEvent());
        Path file = dir.resolve("recording.ndjson");
        // the default reconnect delays apply (about a second each): three reconnects stay within seconds
        assertThat(record(file.toString(), "--limit", "8")).isZero();
        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).containsExactlyElementsOf(server.events());
        assertThat(server.requests()).allSatisfy(request -> assertThat(request.header("User-Agent")).isEqualTo(USER_AGENT));
        assertThat(server.request(1).header("Last-Event-ID")).isEqualTo(server.idOf(3));
    }

    @Test
    void appendsToAnExistingRecording() throws Exception {
        Path file = dir.resolve("recording.ndjson");
        Files.writeString(file, "{\"earlier\":true}\n", StandardCharsets.UTF_8);
        record(file.toString(), "--limit", "2");
        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8))
                .containsExactly("{\"earlier\":true}", server.events().get(0), server.events().get(1));
    }

    @Test
    void stopsAfterTheGivenSecondsWhenTheStreamGoesQuiet() throws Exception {
        Path file = dir.resolve("recording.ndjson");
        assertThat(record(file.toString(), "--seconds", "1")).isZero();
        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).hasSize(8);
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("recorded 8 events").contains("done");
    }

    @Test
    void recordingNothingFromASourceItCannotReachFailsWithTheReason() throws Exception {
        Path file = dir.resolve("recording.ndjson");
        String closed = "http://127.0.0.1:" + LoopbackPorts.free() + "/v2/stream/recentchange";
        Settings unreachable = settings().with(Map.of("wikiedits.source.url", closed));

        int status = Recorder.parse(new String[] {file.toString(), "--seconds", "2"})
                .record(unreachable, new PrintStream(progress, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(1);
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("recorded 0 events")
                .contains("nothing recorded: cannot reach " + closed).contains("-Dwikiedits.source.url=generator:")
                .doesNotContain("done");
        assertThat(file).as("no empty recording left behind").doesNotExist();
    }

    @Test
    void recordingNothingWithinTheGivenSecondsFailsAndSaysSo() throws Exception {
        server.otherwise(Connection.serve(0).withStall(Duration.ofSeconds(30)));
        Path file = dir.resolve("recording.ndjson");

        int status = record(file.toString(), "--seconds", "1");

        assertThat(status).isEqualTo(1);
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("recorded 0 events")
                .contains("nothing recorded: the source sent no events within 1 s").doesNotContain("done");
    }
}
