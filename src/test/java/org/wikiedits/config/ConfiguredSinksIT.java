package org.wikiedits.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.app.Pipeline;
import org.wikiedits.testing.LoopbackPorts;
import org.wikiedits.testing.PipelineFixture;
import org.wikiedits.testing.SseTestServer.Connection;
import org.wikiedits.testing.SseTestServer;
import org.wikiedits.testing.TestCamel;

/** {@code wikiedits.sinks}: a lake-only run starts no OpenSearch, an index-only run writes no lake, and the checkpoint follows the sinks that run. */
class ConfiguredSinksIT {

    @TempDir
    Path data;

    private Pipeline pipeline(SseTestServer server, String sinks, int openSearchPort) {
        return new Pipeline(Settings.load().with(Map.of(
                "wikiedits.sinks", sinks,
                "wikiedits.source.url", server.url(),
                "wikiedits.data.dir", data.toString(),
                "wikiedits.lake.roll-seconds", "1",
                "wikiedits.opensearch.embedded.http-port", String.valueOf(openSearchPort),
                "wikiedits.http.port", String.valueOf(LoopbackPorts.free()))))
                .bind("cliConnectorFactory", TestCamel.disabledCliConnector());
    }

    @Test
    void aLakeOnlyRunStartsNoOpenSearchAndItsCheckpointFollowsTheLakeAlone() throws Exception {
        PipelineFixture fixture = PipelineFixture.stream(500);
        int openSearchPort = LoopbackPorts.free();
        try (SseTestServer server = SseTestServer.start(fixture.lines())) {
            server.otherwise(Connection.serveAll().withRetry(50));
            String lastId = server.idOf(fixture.lines().size());
            try (Pipeline pipeline = pipeline(server, "lake", openSearchPort)) {
                pipeline.start();
                await().atMost(Duration.ofMinutes(2)).until(() -> lastId.equals(PipelineFixture.checkpoint(data)));
                assertThat(pipeline.camelContext().getRoute("index")).isNull();
                assertThat(pipeline.camelContext().getRegistry().lookupByName("indexSink")).isNull();
                assertThat(LoopbackPorts.isFree(openSearchPort)).as("no embedded node listens").isTrue();
            }
            assertThat(new HashSet<>(PipelineFixture.lakeEventIds(data))).isEqualTo(fixture.expectedIds());
            assertThat(data.resolve("opensearch")).doesNotExist();
        }
    }

    @Test
    void anIndexOnlyRunWritesNoLakeAndItsCheckpointFollowsTheIndexAlone() throws Exception {
        PipelineFixture fixture = PipelineFixture.stream(500);
        int openSearchPort = LoopbackPorts.free();
        try (SseTestServer server = SseTestServer.start(fixture.lines())) {
            server.otherwise(Connection.serveAll().withRetry(50));
            String lastId = server.idOf(fixture.lines().size());
            try (Pipeline pipeline = pipeline(server, "index", openSearchPort)) {
                pipeline.start();
                await().atMost(Duration.ofMinutes(2)).until(() -> lastId.equals(PipelineFixture.checkpoint(data)));
                assertThat(pipeline.camelContext().getRoute("lake")).isNull();
                assertThat(new HashSet<>(PipelineFixture.indexIds("http://127.0.0.1:" + openSearchPort)))
                        .isEqualTo(fixture.expectedIds());
            }
            assertThat(Files.exists(data.resolve("lake"))).isFalse();
        }
    }
}
