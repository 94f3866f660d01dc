package org.wikiedits.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wikiedits.sink.index.EmbeddedOpenSearch;
import org.wikiedits.testing.ForkedApp;
import org.wikiedits.testing.LoopbackPorts;
import org.wikiedits.testing.PipelineFixture;
import org.wikiedits.testing.SseTestServer;

/**
 * Kill the app at each point of the commit protocol (the JVM halts, like {@code kill -9}), start
 * it again, and the lake and the index still hold every good event exactly once. The app runs as
 * users run it, in its own JVM ({@code org.wikiedits.app.App}); one OpenSearch node serves every case.
 */
class CrashRecoveryIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static EmbeddedOpenSearch node;

    @TempDir
    static Path nodeDir;

    @TempDir
    Path work;

    @BeforeAll
    static void startNode() {
        node = EmbeddedOpenSearch.start(nodeDir, LoopbackPorts.free());
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @ParameterizedTest(name = "halted at {0}")
    @ValueSource(strings = {CrashPoint.LAKE_TEMP_WRITTEN, CrashPoint.LAKE_RENAMED, CrashPoint.CHECKPOINT_SAVED,
            CrashPoint.INDEX_BULK_SENT, CrashPoint.INDEX_ACKNOWLEDGED})
    void aRestartAfterACrashLeavesEveryEventExactlyOnce(String crashPoint) throws Exception {
        deleteIndex();
        PipelineFixture fixture = PipelineFixture.stream(1500);
        Path data = work.resolve("data");
        try (SseTestServer server = SseTestServer.start(fixture.lines())) {
            server.otherwise(SseTestServer.Connection.serveAll().withRetry(50));
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("wikiedits.source.url", server.url());
            properties.put("wikiedits.data.dir", data.toString());
            properties.put("wikiedits.opensearch.url", node.url());
            properties.put("wikiedits.lake.roll-seconds", "1");
            properties.put("wikiedits.index.batch-size", "200");
            properties.put("wikiedits.http.port", String.valueOf(LoopbackPorts.free()));

            Map<String, String> crashing = new LinkedHashMap<>(properties);
            crashing.put("wikiedits.test.crash-at", crashPoint);
            try (ForkedApp first = ForkedApp.start(work, crashing, List.of("-Xmx512m"), "run")) {
                int exit = first.awaitExit(Duration.ofMinutes(3));
                assertThat(exit).as("the first run must halt at %s; its log:%n%s", crashPoint, first.log()).isEqualTo(137);
                assertThat(first.log()).contains("crash point '" + crashPoint + "' reached");
            }

            String lastId = server.idOf(fixture.lines().size());
            try (ForkedApp second = ForkedApp.start(work, properties, List.of("-Xmx512m"), "run")) {
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                        .failFast("the restarted app exited", () -> !second.isAlive())
                        .until(() -> lastId.equals(PipelineFixture.checkpoint(data)));
                second.stop(Duration.ofMinutes(1));
            }

            List<String> lake = PipelineFixture.lakeEventIds(data);
            assertThat(lake).doesNotHaveDuplicates();
            assertThat(new HashSet<>(lake)).isEqualTo(fixture.expectedIds());
            List<String> index = PipelineFixture.indexIds(node.url());
            assertThat(index).doesNotHaveDuplicates();
            assertThat(new HashSet<>(index)).isEqualTo(fixture.expectedIds());
        }
    }

    private static void deleteIndex() throws Exception {
        HTTP.send(HttpRequest.newBuilder(URI.create(node.url() + "/wikiedits")).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
    }
}
