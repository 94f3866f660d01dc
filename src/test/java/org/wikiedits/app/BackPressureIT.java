package org.wikiedits.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.sink.index.EmbeddedOpenSearch;
import org.wikiedits.testing.FaultInjectingProxy;
import org.wikiedits.testing.ForkedApp;
import org.wikiedits.testing.LoopbackPorts;
import org.wikiedits.testing.PipelineFixture;
import org.wikiedits.testing.SseTestServer;

/**
 * A dead index holds the whole pipeline back instead of filling memory: the app runs with
 * {@code -Xmx1g} in its own JVM, the index is unreachable for over 60 s while a stream of 20,000 events
 * waits to be read; the source must stop reading (bounded queue), the app must not run out of
 * memory, and everything must arrive once the index is back.
 */
class BackPressureIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern RECEIVED = Pattern.compile("(?m)^wikiedits_events_received_total\\S* (\\S+)$");
    private static final Pattern QUEUE_INDEX = Pattern.compile("(?m)^wikiedits_queue_depth\\{queue=\"index\"} (\\S+)$");

    @TempDir
    Path work;

    @Test
    void aPausedIndexStopsTheSourceWithoutRunningOutOfMemoryAndEverythingCatchesUpAfter() throws Exception {
        PipelineFixture fixture = PipelineFixture.stream(20_000);
        Path data = work.resolve("data");
        int httpPort = LoopbackPorts.free();
        try (EmbeddedOpenSearch node = EmbeddedOpenSearch.start(work.resolve("node"), LoopbackPorts.free());
             FaultInjectingProxy proxy = new FaultInjectingProxy(node.url());
             SseTestServer server = SseTestServer.start(fixture.lines())) {
            server.otherwise(SseTestServer.Connection.serveAll().withRetry(50));
            proxy.setUnreachable(true);
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("wikiedits.source.url", server.url());
            properties.put("wikiedits.data.dir", data.toString());
            properties.put("wikiedits.opensearch.url", proxy.url());
            properties.put("wikiedits.queue.capacity", "1000");
            properties.put("wikiedits.lake.roll-seconds", "2");
            properties.put("wikiedits.http.port", String.valueOf(httpPort));
            try (ForkedApp app = ForkedApp.start(work, properties, List.of("-Xmx1g"), "run")) {
                String metrics = "http://127.0.0.1:" + httpPort + "/metrics";
                await().atMost(Duration.ofMinutes(2)).failFast("the app exited", () -> !app.isAlive())
                        .ignoreExceptions().until(() -> gauge(metrics, QUEUE_INDEX) >= 1000);
                // the index writer still takes up to two batches from the full queue: let that settle
                Thread.sleep(Duration.ofSeconds(10).toMillis());
                double receivedWhenFull = gauge(metrics, RECEIVED);
                Thread.sleep(Duration.ofSeconds(50).toMillis());
                double receivedAfterPause = gauge(metrics, RECEIVED);

                assertThat(app.isAlive()).isTrue();
                assertThat(receivedAfterPause).as("events read while the index was down")
                        .isEqualTo(receivedWhenFull).isLessThan(fixture.lines().size());
                assertThat(PipelineFixture.checkpoint(data)).as("nothing is committed without the index").isNull();

                proxy.setUnreachable(false);
                String lastId = server.idOf(fixture.lines().size());
                await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2))
                        .failFast("the app exited", () -> !app.isAlive())
                        .until(() -> lastId.equals(PipelineFixture.checkpoint(data)));
                System.out.printf("BackPressureIT: %d events read before the source stopped; resident set %s%n",
                        (long) receivedWhenFull, residentSet(app.pid()));
                app.stop(Duration.ofMinutes(1));
                assertThat(app.log()).doesNotContain("OutOfMemoryError");
            }
            List<String> lake = PipelineFixture.lakeEventIds(data);
            assertThat(lake).doesNotHaveDuplicates();
            assertThat(new HashSet<>(lake)).isEqualTo(fixture.expectedIds());
            List<String> index = PipelineFixture.indexIds(node.url());
            assertThat(new HashSet<>(index)).isEqualTo(fixture.expectedIds());
        }
    }

    private static double gauge(String url, Pattern pattern) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher matcher = pattern.matcher(body);
        if (!matcher.find()) {
            throw new AssertionError("no " + pattern + " in /metrics");
        }
        return Double.parseDouble(matcher.group(1));
    }

    private static String residentSet(long pid) throws Exception {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(line -> line.startsWith("VmRSS:")).findFirst().orElse("VmRSS: unknown").replaceAll("\\s+", " ");
    }
}
