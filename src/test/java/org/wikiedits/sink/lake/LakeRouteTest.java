package org.wikiedits.sink.lake;

import org.wikiedits.commit.CommitTracker;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Test;
import org.wikiedits.commit.Headers;
import org.wikiedits.testing.MutableClock;
import org.wikiedits.testing.RouteFileTestSupport;
import org.wikiedits.transform.Fixtures;

/**
 * routes/local/lake/lake.camel.yaml: event -> lakeRow -> lakeCsv (camel-csv) -> lakeSink.write, with the
 * real processors, the real CSV format and the real lake sink on a temporary folder; {@code seda:lake}
 * becomes {@code direct:lake} and a mock endpoint records what reaches the sink step.
 */
class LakeRouteTest extends RouteFileTestSupport {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-08-04T16:00:00Z"));
    private LakeWriter writer;

    @Override
    protected List<String> trackedSinks() {
        return List.of(LakeWriter.SINK);
    }

    @Override
    protected void bindToRegistry(Registry registry) throws Exception {
        super.bindToRegistry(registry);
        writer = new LakeWriter(new LocalLakeStorage(lakeDir(), LakeFileSystem.DEFAULT), tracker, 60, 64 << 20, 8, clock);
        registry.bind("lakeSink", new LakeSink(writer));
    }

    private Path lakeDir() {
        return work.resolve("lake").resolve("wikiedits");
    }

    /** The shipped routes, with direct: entries and a mock endpoint just before the sink step. */
    private void startLakeRoutes() throws Exception {
        loadSourceRoutes();
        loadRouteFile("local/lake/lake.camel.yaml");
        AdviceWith.adviceWith(context, "lake", route -> {
            route.replaceFromWith("direct:lake");
            route.weaveByType(BeanDefinition.class).before().to("mock:lakeSink");
        });
        AdviceWith.adviceWith(context, "lake-roll", route -> route.replaceFromWith("direct:lake-roll"));
        context.start();
    }

    @Test
    void everyFixtureReachesTheLakeSinkAsItsExpectedCsvBytesWithPartitionEventIdAndSeq() throws Exception {
        startLakeRoutes();
        List<String> names = Fixtures.eventNames();
        MockEndpoint sink = getMockEndpoint("mock:lakeSink");
        sink.expectedMessageCount(names.size());
        Map<String, Long> seqs = new LinkedHashMap<>();

        for (String name : names) {
            seqs.put(name, sendAdmitted("direct:lake", Fixtures.event(name), Fixtures.recentChange(name)));
        }

        sink.assertIsSatisfied();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            String expected = Fixtures.expectedCsv(name);
            Exchange received = sink.getExchanges().get(i);
            assertThat(new String(received.getMessage().getBody(byte[].class), StandardCharsets.UTF_8))
                    .as(name).isEqualTo(expected);
            assertThat(received.getMessage().getHeader(Headers.PARTITION)).as(name).isEqualTo(partitionOf(expected));
            assertThat(received.getMessage().getHeader(Headers.EVENT_ID)).as(name).isEqualTo(eventIdOf(expected));
            assertThat(received.getMessage().getHeader(Headers.SEQ)).as(name).isEqualTo(seqs.get(name));
        }
        assertThat(deadLetterLines()).isEmpty();
    }

    @Test
    void theSinkStepGetsTheRowAsBytesNotAStreamCacheToReadBack() throws Exception {
        startLakeRoutes();
        MockEndpoint sink = getMockEndpoint("mock:lakeSink");
        sink.expectedMessageCount(1);
        String name = Fixtures.eventNames().get(0);

        sendAdmitted("direct:lake", Fixtures.event(name), Fixtures.recentChange(name));

        sink.assertIsSatisfied();
        // a stream cache is read back into bytes through two 8 KiB buffers for every event (JFR: the lake
        // route's largest allocations)
        assertThat(sink.getExchanges().get(0).getMessage().getBody()).isInstanceOf(byte[].class);
    }

    @Test
    void theRollStepCommitsWhatTheSinkStepWroteOneFilePerPartitionInArrivalOrder() throws Exception {
        startLakeRoutes();
        Map<String, StringBuilder> expectedByPartition = new LinkedHashMap<>();
        for (String name : Fixtures.eventNames()) {
            sendAdmitted("direct:lake", Fixtures.event(name), Fixtures.recentChange(name));
            String row = Fixtures.expectedCsv(name);
            expectedByPartition.computeIfAbsent(partitionOf(row), p -> new StringBuilder()).append(row);
        }
        assertThat(committedFiles()).isEmpty();

        clock.advance(Duration.ofSeconds(61));
        template.sendBody("direct:lake-roll", null);

        Map<String, String> committed = new LinkedHashMap<>();
        for (Path file : committedFiles()) {
            String partition = lakeDir().relativize(file.getParent()).toString().replace('\\', '/');
            assertThat(committed).as("one file per partition").doesNotContainKey(partition);
            committed.put(partition, Files.readString(file, StandardCharsets.UTF_8));
        }
        Map<String, String> expected = new LinkedHashMap<>();
        expectedByPartition.forEach((partition, rows) -> expected.put(partition, rows.toString()));
        assertThat(committed).isEqualTo(expected);
        assertThat(tracker.uncommitted()).as("every event is behind the checkpoint after the commit").isZero();
    }

    @Test
    void anExceptionAtTheSinkStepDeadLettersTheEventWithItsEventIdAndRawText() throws Exception {
        loadSourceRoutes();
        loadRouteFile("local/lake/lake.camel.yaml");
        AdviceWith.adviceWith(context, "lake", route -> {
            route.replaceFromWith("direct:lake");
            route.weaveByType(BeanDefinition.class).replace().throwException(new IllegalStateException("sink refused"));
        });
        context.start();
        String raw = Fixtures.event("edit-basic");

        sendAdmitted("direct:lake", raw, Fixtures.recentChange("edit-basic"));

        assertThat(deadLetterLines()).singleElement().satisfies(letter -> {
            assertThat(letter.path("event_id").asText()).isEqualTo("7a4bd0e1-3f8c-4b52-9d1e-2c6f8a0b1e01");
            assertThat(letter.path("raw").asText()).isEqualTo(raw);
            assertThat(letter.path("stage").asText()).isEqualTo("lake");
            assertThat(letter.path("reason").asText()).isEqualTo("lake: IllegalStateException: sink refused");
        });
        // a dead letter settles the event: the checkpoint passes it
        assertThat(tracker.uncommitted()).isZero();
        assertThat(tracker.store().lastEventId()).contains(wikimediaSseId(1));
    }

    @Test
    void anIoFailureAtTheSinkStepIsRetriedAndTheEventThenReachesTheSink() throws Exception {
        loadSourceRoutes();
        loadRouteFile("local/lake/lake.camel.yaml");
        AtomicInteger attempts = new AtomicInteger();
        AdviceWith.adviceWith(context, "lake", route -> {
            route.replaceFromWith("direct:lake");
            route.weaveByType(BeanDefinition.class).before().process(exchange -> {
                if (attempts.incrementAndGet() == 1) {
                    throw new IOException("disk full");
                }
            }).to("mock:lakeSink");
        });
        context.start();
        getMockEndpoint("mock:lakeSink").expectedMessageCount(1);

        sendAdmitted("direct:lake", Fixtures.event("edit-basic"), Fixtures.recentChange("edit-basic"));

        getMockEndpoint("mock:lakeSink").assertIsSatisfied();
        assertThat(attempts).hasValue(2);
        assertThat(writer.written()).isEqualTo(1);
        assertThat(deadLetterLines()).isEmpty();
    }

    private List<Path> committedFiles() throws IOException {
        if (!Files.isDirectory(lakeDir())) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(lakeDir())) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> !file.getFileName().toString().startsWith("."))
                    .filter(file -> file.getFileName().toString().endsWith(".csv"))
                    .sorted().toList();
        }
    }

    /** dt=/hour= from the expected row's event_time (column 2, never quoted): independent of LakePartition. */
    private static String partitionOf(String expectedRow) {
        String eventTime = expectedRow.split(",", 3)[1];
        return "dt=" + eventTime.substring(0, 10) + "/hour=" + eventTime.substring(11, 13);
    }

    private static String eventIdOf(String expectedRow) {
        return expectedRow.split(",", 2)[0];
    }
}
