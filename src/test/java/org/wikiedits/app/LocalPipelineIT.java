package org.wikiedits.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.config.Settings;
import org.wikiedits.testing.LoopbackPorts;
import org.wikiedits.testing.PipelineFixture;
import org.wikiedits.testing.SseTestServer.Connection;
import org.wikiedits.testing.SseTestServer;
import org.wikiedits.testing.TestCamel;

/**
 * The shipped YAML routes, end to end in local mode: a local SSE server plays thousands of events
 * with disconnects, an outage, canaries, malformed lines and repeated ids; the lake (read back
 * with DuckDB) and the embedded OpenSearch index must each hold every good event exactly once.
 */
class LocalPipelineIT {

    @TempDir
    Path data;

    @Test
    void everyGoodEventLandsExactlyOnceInTheLakeAndTheIndexDespiteDisconnects() throws Exception {
        PipelineFixture fixture = PipelineFixture.stream(3000);
        int openSearchPort = LoopbackPorts.free();
        String openSearchUrl = "http://127.0.0.1:" + openSearchPort;
        try (SseTestServer server = SseTestServer.start(fixture.lines())) {
            server.then(Connection.serve(700).withRetry(50))
                    .then(Connection.serve(900).withCutMidEvent().withRetry(50))
                    .then(Connection.status(503))
                    .then(Connection.serve(1200).withSplitAcrossFlushes(4096).withRetry(50))
                    .otherwise(Connection.serveAll().withRetry(50));
            Settings settings = Settings.load().with(Map.of(
                    "wikiedits.source.url", server.url(),
                    "wikiedits.data.dir", data.toString(),
                    "wikiedits.lake.roll-seconds", "1",
                    "wikiedits.opensearch.embedded.http-port", String.valueOf(openSearchPort),
                    "wikiedits.http.port", String.valueOf(LoopbackPorts.free()),
                    "wikiedits.progress.seconds", "5"));
            String lastId = server.idOf(fixture.lines().size());

            try (Pipeline pipeline = new Pipeline(settings).bind("cliConnectorFactory", TestCamel.disabledCliConnector())) {
                pipeline.start();
                await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> lastId.equals(PipelineFixture.checkpoint(data)));

                List<String> lake = PipelineFixture.lakeEventIds(data);
                assertThat(lake).doesNotHaveDuplicates();
                assertThat(new HashSet<>(lake)).isEqualTo(fixture.expectedIds());

                List<String> index = PipelineFixture.indexIds(openSearchUrl);
                assertThat(index).doesNotHaveDuplicates();
                assertThat(new HashSet<>(index)).isEqualTo(fixture.expectedIds());
            }

            List<JsonNode> deadLetters = PipelineFixture.deadLetters(data);
            assertThat(deadLetters).extracting(letter -> letter.path("raw").asText())
                    .containsExactlyElementsOf(fixture.malformedLines());
            assertThat(deadLetters).allSatisfy(letter -> {
                assertThat(letter.path("reason").asText()).isNotBlank();
                assertThat(letter.path("received_at").asText()).isNotBlank();
            });
            assertThat(fixture.canaries()).isPositive();
            assertThat(server.requests()).hasSizeGreaterThanOrEqualTo(5);
            assertThat(server.requests()).allSatisfy(request ->
                    assertThat(request.header("User-Agent")).startsWith("wikiedits/"));
            assertThat(server.requests().subList(1, server.requests().size()))
                    .allSatisfy(request -> assertThat(request.header("Last-Event-ID")).isNotBlank());
        }
    }
}
