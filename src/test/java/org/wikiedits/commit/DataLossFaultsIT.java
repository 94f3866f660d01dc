package org.wikiedits.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.AsyncProcessorConverterHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.app.Pipeline;
import org.wikiedits.config.Settings;
import org.wikiedits.ops.HealthReport;
import org.wikiedits.ops.PipelineMonitor;
import org.wikiedits.testing.FaultyFileSystem;
import org.wikiedits.testing.LoopbackPorts;
import org.wikiedits.testing.PipelineFixture;
import org.wikiedits.testing.SseTestServer.Connection;
import org.wikiedits.testing.SseTestServer;
import org.wikiedits.testing.TestCamel;
import org.wikiedits.transform.RecentChangeReader;

/**
 * The shipped local routes under the faults that used to lose events: the lake's disk full for a
 * while, the lake's folder unwritable for a while, a failed checkpoint save, a sink route that throws for one event, a dead-letter store that
 * cannot be written. Afterwards every good event is in the lake and the index exactly once (by
 * {@code meta.id}), or stored as a dead letter with its original text and the reason.
 */
class DataLossFaultsIT {

    @TempDir
    Path data;

    private Settings settings(SseTestServer server, int openSearchPort) {
        return Settings.load().with(Map.of(
                "wikiedits.source.url", server.url(),
                "wikiedits.data.dir", data.toString(),
                "wikiedits.lake.roll-seconds", "1",
                "wikiedits.queue.capacity", "100",
                "wikiedits.health.down-after-seconds", "2",
                "wikiedits.opensearch.embedded.http-port", String.valueOf(openSearchPort),
                "wikiedits.http.port", String.valueOf(LoopbackPorts.free()),
                "wikiedits.progress.seconds", "5"));
    }

    @Test
    void aFullDiskAFailedCheckpointSaveAndFailingSinkRoutesLoseNoEvent() throws Exception {
        PipelineFixture fixture = PipelineFixture.stream(2500);
        String lakePoison = idSeenOnce(fixture, 1200);
        String indexPoison = idSeenOnce(fixture, 1900);
        FaultyFileSystem disk = new FaultyFileSystem();
        disk.diskFullAfter(300_000); // mid-stream: after a few hundred rows
        int openSearchPort = LoopbackPorts.free();
        try (SseTestServer server = SseTestServer.start(fixture.lines())) {
            server.otherwise(Connection.serveAll().withRetry(50));
            String lastId = server.idOf(fixture.lines().size());
            try (Pipeline pipeline = new Pipeline(settings(server, openSearchPort))
                    .bind("cliConnectorFactory", TestCamel.disabledCliConnector())
                    .bind("lakeFileSystem", disk)
                    .bind("poisonEvents", new ThrowInRoute(Map.of("lake", lakePoison, "index", indexPoison)))) {
                pipeline.start();
                PipelineMonitor monitor = bean(pipeline.camelContext(), "pipelineMonitor", PipelineMonitor.class);
                PipelineStats stats = bean(pipeline.camelContext(), "pipelineStats", PipelineStats.class);

                // the full disk stops the lake: DEGRADED, then DOWN with the reason, and the source is held back
                await().atMost(Duration.ofSeconds(60)).until(() -> monitor.health().status() == HealthReport.Status.DOWN);
                assertThat(monitor.health().reasons()).anySatisfy(reason ->
                        assertThat(reason).contains("lake").contains("No space left on device"));
                long received = stats.receivedCount();
                Thread.sleep(2000);
                assertThat(stats.receivedCount()).as("the source is held back").isEqualTo(received);
                assertThat(received).isLessThan(fixture.lines().size());

                // the checkpoint cannot be saved for a while (a folder where its temp file goes)
                Path blocked = data.resolve("state").resolve("checkpoint.json.tmp");
                Files.createDirectories(blocked.resolve("x"));
                disk.diskFull(false);
                await().atMost(Duration.ofSeconds(60)).until(() -> monitor.health().reasons().stream()
                        .anyMatch(reason -> reason.contains("cannot save the checkpoint")));
                String stuck = PipelineFixture.checkpoint(data);
                Files.delete(blocked.resolve("x"));
                Files.delete(blocked);

                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                        .until(() -> lastId.equals(PipelineFixture.checkpoint(data)));
                assertThat(stuck).isNotEqualTo(lastId);
                // (the recorded events are days old, so "lag" may remain: the source's concern, not the sinks')
                assertThat(monitor.health().reasons()).noneMatch(reason -> reason.startsWith("lake")
                        || reason.contains("checkpoint") || reason.contains("stopped"));

                Set<String> expected = fixture.expectedIds();
                List<String> lake = PipelineFixture.lakeEventIds(data);
                assertThat(lake).doesNotHaveDuplicates();
                assertThat(lake).containsExactlyInAnyOrderElementsOf(without(expected, lakePoison));
                List<String> index = PipelineFixture.indexIds("http://127.0.0.1:" + openSearchPort);
                assertThat(index).doesNotHaveDuplicates();
                assertThat(index).containsExactlyInAnyOrderElementsOf(without(expected, indexPoison));
            }
            assertThat(disk.failedWrites()).isPositive();
            List<JsonNode> deadLetters = PipelineFixture.deadLetters(data);
            assertThat(deadLetters).filteredOn(letter -> letter.path("stage").asText().equals("lake")).singleElement()
                    .satisfies(letter -> {
                        assertThat(letter.path("event_id").asText()).isEqualTo(lakePoison);
                        assertThat(letter.path("raw").asText()).isEqualTo(lineOf(fixture, lakePoison));
                        assertThat(letter.path("reason").asText()).contains("IllegalStateException").contains("injected");
                    });
            assertThat(deadLetters).filteredOn(letter -> letter.path("stage").asText().equals("index")).singleElement()
                    .satisfies(letter -> assertThat(letter.path("raw").asText()).isEqualTo(lineOf(fixture, indexPoison)));
            assertThat(deadLetters).filteredOn(letter -> letter.path("stage").asText().equals("source"))
                    .extracting(letter -> letter.path("raw").asText()).containsExactlyElementsOf(fixture.malformedLines());
        }
    }

    @Test
    void anUnwritableLakeFolderHoldsTheStreamWithHealthSayingWhyAndLosesNoEvent() throws Exception {
        PipelineFixture fixture = PipelineFixture.stream(1500);
        FaultyFileSystem disk = new FaultyFileSystem();
        disk.unwritable(true);
        int openSearchPort = LoopbackPorts.free();
        try (SseTestServer server = SseTestServer.start(fixture.lines())) {
            server.otherwise(Connection.serveAll().withRetry(50));
            String lastId = server.idOf(fixture.lines().size());
            try (Pipeline pipeline = new Pipeline(settings(server, openSearchPort))
                    .bind("cliConnectorFactory", TestCamel.disabledCliConnector())
                    .bind("lakeFileSystem", disk)) {
                pipeline.start();
                PipelineMonitor monitor = bean(pipeline.camelContext(), "pipelineMonitor", PipelineMonitor.class);
                PipelineStats stats = bean(pipeline.camelContext(), "pipelineStats", PipelineStats.class);

                await().atMost(Duration.ofSeconds(60)).until(() -> monitor.health().status() == HealthReport.Status.DOWN);
                assertThat(monitor.health().reasons()).anySatisfy(reason ->
                        assertThat(reason).contains("lake").contains("Permission denied"));
                long received = stats.receivedCount();
                Thread.sleep(2000);
                assertThat(stats.receivedCount()).as("the source is held back").isEqualTo(received);
                assertThat(received).isLessThan(fixture.lines().size());
                assertThat(PipelineFixture.checkpoint(data)).as("nothing is checkpointed past the unwritten rows").isNull();

                disk.unwritable(false);
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                        .until(() -> lastId.equals(PipelineFixture.checkpoint(data)));
                assertThat(monitor.health().reasons()).noneMatch(reason -> reason.startsWith("lake"));

                List<String> lake = PipelineFixture.lakeEventIds(data);
                assertThat(lake).doesNotHaveDuplicates();
                assertThat(new HashSet<>(lake)).isEqualTo(fixture.expectedIds());
                List<String> index = PipelineFixture.indexIds("http://127.0.0.1:" + openSearchPort);
                assertThat(index).doesNotHaveDuplicates();
                assertThat(new HashSet<>(index)).isEqualTo(fixture.expectedIds());
            }
            assertThat(disk.refusedCreates()).isPositive();
            assertThat(PipelineFixture.deadLetters(data)).extracting(letter -> letter.path("stage").asText())
                    .as("only the unreadable lines are dead letters").containsOnly("source");
        }
    }

    @Test
    void whenTheDeadLetterStoreFailsThePipelineStopsBeforeTheEventAndARestartDeliversEverything() throws Exception {
        PipelineFixture fixture = PipelineFixture.stream(300);
        int firstMalformed = fixture.lines().indexOf(fixture.malformedLines().get(0)) + 1; // SSE ids count from 1
        Path deadLetterFolder = data.resolve("dead-letter");
        Files.createDirectories(data);
        Files.writeString(deadLetterFolder, "a file where the dead-letter folder should be");
        int openSearchPort = LoopbackPorts.free();
        try (SseTestServer server = SseTestServer.start(fixture.lines())) {
            server.otherwise(Connection.serveAll().withRetry(50));
            String lastId = server.idOf(fixture.lines().size());
            try (Pipeline pipeline = new Pipeline(settings(server, openSearchPort))
                    .bind("cliConnectorFactory", TestCamel.disabledCliConnector())) {
                pipeline.start();
                PipelineMonitor monitor = bean(pipeline.camelContext(), "pipelineMonitor", PipelineMonitor.class);
                await().atMost(Duration.ofSeconds(60)).until(() -> monitor.health().status() == HealthReport.Status.DOWN);
                assertThat(monitor.health().reasons()).singleElement().asString()
                        .contains("cannot be stored as a dead letter").contains("restart");
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        pipeline.camelContext().getRouteController().getRouteStatus("source").isStopped());
                await().atMost(Duration.ofSeconds(30)).until(() -> server.idOf(firstMalformed - 1).equals(PipelineFixture.checkpoint(data)));
                Thread.sleep(1500); // two more lake rolls: the checkpoint must stay before the event
                assertThat(PipelineFixture.checkpoint(data)).isEqualTo(server.idOf(firstMalformed - 1));
            }

            Files.delete(deadLetterFolder);
            try (Pipeline restarted = new Pipeline(settings(server, openSearchPort))
                    .bind("cliConnectorFactory", TestCamel.disabledCliConnector())) {
                restarted.start();
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                        .until(() -> lastId.equals(PipelineFixture.checkpoint(data)));
                List<String> lake = PipelineFixture.lakeEventIds(data);
                assertThat(lake).doesNotHaveDuplicates();
                assertThat(new HashSet<>(lake)).isEqualTo(fixture.expectedIds());
                List<String> index = PipelineFixture.indexIds("http://127.0.0.1:" + openSearchPort);
                assertThat(index).doesNotHaveDuplicates();
                assertThat(new HashSet<>(index)).isEqualTo(fixture.expectedIds());
            }
            assertThat(PipelineFixture.deadLetters(data)).extracting(letter -> letter.path("raw").asText())
                    .containsExactlyElementsOf(fixture.malformedLines());
        }
    }

    /** Throws a non-I/O exception at the bean step of the named route for the named event, every time it gets there. */
    private record ThrowInRoute(Map<String, String> eventIdByRoute) implements InterceptStrategy {
        @Override
        public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target,
                                                     Processor nextTarget) {
            if (!(definition instanceof BeanDefinition)) {
                return target; // the sink's bean step only, not the error handler's steps
            }
            return AsyncProcessorConverterHelper.convert(exchange -> {
                // the sink step gets the finished row or document; the original event text travels along
                String raw = exchange.getProperty(Headers.RAW, String.class);
                String poison = eventIdByRoute.get(exchange.getFromRouteId());
                if (raw != null && poison != null && raw.contains(poison)) {
                    throw new IllegalStateException("injected failure in route " + exchange.getFromRouteId());
                }
                target.process(exchange);
            });
        }
    }

    private static <T> T bean(CamelContext context, String name, Class<T> type) {
        return context.getRegistry().lookupByNameAndType(name, type);
    }

    /** The id of a readable event near line {@code near} that occurs once in the stream (not replayed). */
    private static String idSeenOnce(PipelineFixture fixture, int near) throws Exception {
        for (int i = near; i < fixture.lines().size(); i++) {
            String line = fixture.lines().get(i);
            if (Collections.frequency(fixture.lines(), line) == 1 && !PipelineFixture.MALFORMED.contains(line)
                    && !line.contains("\"domain\":\"canary\"")) {
                return RecentChangeReader.read(line).eventId();
            }
        }
        throw new IllegalStateException("no single event after line " + near);
    }

    private static String lineOf(PipelineFixture fixture, String eventId) {
        return fixture.lines().stream().filter(line -> line.contains(eventId)).findFirst().orElseThrow();
    }

    private static Set<String> without(Set<String> ids, String removed) {
        Set<String> rest = new HashSet<>(ids);
        rest.remove(removed);
        return rest;
    }
}
