package org.wikiedits.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.commit.DeadLetterStore;
import org.wikiedits.config.Settings;
import org.wikiedits.sink.index.OpenSearchEndpoint;
import org.wikiedits.testing.ForkedApp;
import org.wikiedits.testing.LoopbackPorts;
import org.wikiedits.testing.OpenSearchHttp;
import org.wikiedits.testing.TestEvents;
import org.wikiedits.transform.RecentChangeReader;
import org.wikiedits.transform.SearchDocument;

/**
 * {@code replay-dead-letters} while the app runs (its own JVM, holding the data folder's lock): the index
 * replay goes to the app's embedded node over HTTP, the lake replay into the app's lake in files of its
 * own, and after the app stops the lake holds every event once.
 */
class ReplayBesideTheAppIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void aReplayWhileTheAppRunsReachesItsEmbeddedIndexAndItsLakeAndTheAppGoesOn() throws Exception {
        Path data = work.resolve("data");
        List<String> streamed = TestEvents.edits(20, Instant.parse("2026-12-07T08:00:00Z"));
        List<String> forIndex = TestEvents.edits(3, Instant.parse("2026-12-07T09:00:00Z"));
        List<String> forLake = TestEvents.edits(2, Instant.parse("2026-12-07T08:30:00Z"));
        DeadLetterStore store = new DeadLetterStore(data.resolve("dead-letter"));
        forIndex.forEach(raw -> store.write("index", "mapper_parsing_exception: failed to parse field [comment]", raw, null));
        forLake.forEach(raw -> store.write("lake", "lake: IllegalStateException: a bug since fixed", raw, null));
        int nodePort = LoopbackPorts.free();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("wikiedits.source.url", "file:" + TestEvents.write(work.resolve("recording.ndjson"), streamed));
        properties.put("wikiedits.data.dir", data.toString());
        properties.put("wikiedits.opensearch.embedded.http-port", String.valueOf(nodePort));
        properties.put("wikiedits.http.port", String.valueOf(LoopbackPorts.free()));
        properties.put("wikiedits.lake.roll-seconds", "1");
        try (OpenSearchHttp index = new OpenSearchHttp(OpenSearchEndpoint.of("http://127.0.0.1:" + nodePort, "", ""));
             ForkedApp app = ForkedApp.start(work, properties, List.of("-Xmx1g"), "run")) {
            await("the recording indexed").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .failFast("the app exited: " + app.log(), () -> !app.isAlive())
                    .until(() -> count(index) == streamed.size());

            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
            int status = ReplayCommand.run(Settings.load().with(Map.of("wikiedits.data.dir", data.toString(),
                    "wikiedits.opensearch.embedded.http-port", String.valueOf(nodePort))), new String[0], out, out);

            assertThat(status).as(bytes.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("5 sent, 0 failed again");
            assertThat(count(index)).isEqualTo(streamed.size() + forIndex.size());
            assertThat(app.isAlive()).as("the app goes on").isTrue();
            app.stop(Duration.ofSeconds(60));
            assertThat(app.log()).contains("Lake closed"); // its pending rows committed
        }
        List<String> lakeIds = lakeIds(data.resolve("lake").resolve("wikiedits"));
        List<String> expected = new ArrayList<>();
        for (String raw : streamed) {
            expected.add(RecentChangeReader.read(raw).eventId());
        }
        for (String raw : forLake) {
            expected.add(RecentChangeReader.read(raw).eventId());
        }
        assertThat(lakeIds).as("every event once: the recording's and the replayed ones").containsExactlyInAnyOrderElementsOf(expected);
    }

    private static long count(OpenSearchHttp index) throws Exception {
        index.postJson("/" + SearchDocument.INDEX + "/_refresh", "");
        return JSON.readTree(index.get("/" + SearchDocument.INDEX + "/_count").body()).path("count").asLong(-1);
    }

    private static List<String> lakeIds(Path lake) throws IOException {
        List<String> ids = new ArrayList<>();
        try (Stream<Path> files = Files.walk(lake)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".csv")).toList()) {
                Files.readAllLines(file, StandardCharsets.UTF_8).forEach(line -> ids.add(line.substring(0, line.indexOf(','))));
            }
        }
        return ids;
    }
}
