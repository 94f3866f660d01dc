package org.wikiedits.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.testing.ForkedApp;
import org.wikiedits.testing.LoopbackPorts;
import org.wikiedits.testing.PrintedCommand;

/**
 * The README's "Without internet" commands, taken from the README and run as written from a folder that has
 * nothing but the built jar: record from the generator, then replay that recording. The test adds only a data
 * folder and free ports.
 */
class ReadmeOfflineIT {

    private static final Path README = Path.of("README.md");

    @TempDir
    Path workDir;

    @Test
    void theOfflineRecordingAndItsReplayWorkAsTheReadmeWritesThem() throws Exception {
        List<PrintedCommand> commands = offlineCommands();
        PrintedCommand record = commands.stream().filter(c -> c.args().contains("record")).findFirst().orElseThrow();
        PrintedCommand replay = commands.stream()
                .filter(c -> c.properties().getOrDefault("wikiedits.source.url", "").startsWith("file:")).findFirst().orElseThrow();
        Path recording = workDir.resolve(replay.properties().get("wikiedits.source.url").substring("file:".length()));
        assertThat(record.properties()).as("offline, the recording comes from a source that needs no network")
                .containsEntry("wikiedits.source.url", "generator:");
        assertThat(record.args()).as("what is recorded is what is replayed").contains(recording.getFileName().toString(), "--limit");
        int limit = Integer.parseInt(record.args().get(record.args().indexOf("--limit") + 1));

        try (ForkedApp recorder = record.start(workDir, Map.of(), List.of("-Xmx256m"))) {
            assertThat(recorder.awaitExit(Duration.ofSeconds(90))).as(recorder.log()).isZero();
            assertThat(recorder.log()).contains("recorded " + limit + " events").contains("done");
        }
        assertThat(Files.readAllLines(recording, StandardCharsets.UTF_8)).hasSize(limit);

        int port = LoopbackPorts.free();
        try (ForkedApp app = replay.start(workDir, Map.of("wikiedits.http.port", String.valueOf(port),
                "wikiedits.opensearch.embedded.http-port", String.valueOf(LoopbackPorts.free()),
                "wikiedits.data.dir", workDir.resolve("data").toString()), List.of("-Xmx768m"))) {
            await("the replay's end").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .failFast("the app exited", () -> !app.isAlive())
                    .until(() -> app.log().contains("no more events will come"));
            await("every recorded event received, and indexed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions().until(() -> pipeline(port).path("received").asLong() == limit
                            && pipeline(port).path("delivered").path("index").asLong() > 0);
            assertThat(app.log()).contains(limit + " events delivered").doesNotContain("ERROR");
            assertThat(app.stop(Duration.ofSeconds(60))).as(app.log()).isIn(0, 143);
        }
    }

    /** The java commands of the README's "Without internet" section. */
    private static List<PrintedCommand> offlineCommands() throws Exception {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int section = readme.indexOf("## Without internet");
        assertThat(section).as("the README's offline section").isNotNegative();
        int start = readme.indexOf("```bash\n", section) + "```bash\n".length();
        String block = readme.substring(start, readme.indexOf("```", start));
        return block.lines().filter(line -> line.startsWith("java ")).map(PrintedCommand::parse).toList();
    }

    private static com.fasterxml.jackson.databind.JsonNode pipeline(int port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/pipeline")).build(), HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(response.body());
    }
}
