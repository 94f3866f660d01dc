package org.wikiedits.sink.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.checkpoint.CheckpointStore;
import org.wikiedits.checkpoint.CommitTracker;
import org.wikiedits.checkpoint.CrashPoint;
import org.wikiedits.deadletter.DeadLetterStore;
import org.wikiedits.opensearch.EmbeddedOpenSearch;
import org.wikiedits.opensearch.OpenSearchClient;
import org.wikiedits.opensearch.OpenSearchEndpoint;
import org.wikiedits.testing.CapturedLog;
import org.wikiedits.testing.LoopbackPorts;
import org.wikiedits.transform.RecentChange;
import org.wikiedits.transform.RecentChangeReader;
import org.wikiedits.transform.SearchDocument;
import org.wikiedits.testing.FaultInjectingProxy;
import org.wikiedits.testing.Samples;

/**
 * The index sink against a real embedded node (one per class), directly or through a
 * {@link FaultInjectingProxy}. Each test starts from no {@code wikiedits} index and no template.
 */
class IndexWriterIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Backoff QUICK = new Backoff(Duration.ofMillis(20), Duration.ofMillis(200));

    @TempDir
    static Path nodeDir;
    static EmbeddedOpenSearch node;
    static OpenSearchClient direct;

    @TempDir
    Path work;
    CheckpointStore checkpoints;
    CommitTracker tracker;
    DeadLetterStore deadLetters;
    IndexWriter writer;

    @BeforeAll
    static void startNode() {
        node = EmbeddedOpenSearch.start(nodeDir, LoopbackPorts.free());
        direct = new OpenSearchClient(OpenSearchEndpoint.embedded(node));
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @BeforeEach
    void emptyIndexAndCommitProtocol() throws Exception {
        direct.send("DELETE", "/" + SearchDocument.INDEX, null, null);
        direct.send("DELETE", "/_index_template/" + SearchDocument.INDEX, null, null);
        checkpoints = new CheckpointStore(work.resolve("state"), "test-source");
        tracker = new CommitTracker(checkpoints, List.of(IndexWriter.SINK));
        deadLetters = new DeadLetterStore(work.resolve("dead-letter"));
    }

    @AfterEach
    void closeWriter() {
        if (writer != null) {
            writer.setPaused(false);
            writer.close();
        }
    }

    @Test
    void indexesEveryRecordedEventOnceWithItsMetaIdAsDocumentId() throws Exception {
        List<RecentChange> events = new ArrayList<>(recordedEvents());
        events.addAll(TestEvents.builtIn());
        Set<String> distinctIds = new LinkedHashSet<>();
        events.forEach(rc -> distinctIds.add(rc.eventId()));
        assertThat(events).hasSizeGreaterThan(1000);
        assertThat(distinctIds).hasSizeLessThan(events.size()); // the samples hold real duplicates

        writer = newWriter(direct, 200, Duration.ofMillis(50));
        writer.start();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        timer.scheduleAtFixedRate(writer::flushIfDue, 20, 20, TimeUnit.MILLISECONDS);
        try {
            writeAll(events);
            writer.flush();
        } finally {
            timer.shutdownNow();
        }

        assertThat(count()).isEqualTo(distinctIds.size());
        assertThat(allIds()).isEqualTo(distinctIds);
        assertThat(tracker.uncommitted()).isZero();
        assertThat(checkpoints.lastEventId()).contains(events.get(events.size() - 1).eventId());

        writeAll(events); // a replay, as after a crash
        writer.flush();

        assertThat(count()).isEqualTo(distinctIds.size());
        assertThat(writer.deadLettered()).isZero();
    }

    @Test
    void installsTheTemplateSoTheIndexGetsTheContractMapping() throws Exception {
        writer = newWriter(direct, 10, Duration.ZERO);
        writer.start();
        writeAll(TestEvents.builtIn());
        writer.flush();

        JsonNode mapping = JSON.readTree(direct.get("/" + SearchDocument.INDEX + "/_mapping").body())
                .path(SearchDocument.INDEX).path("mappings").path("properties");
        JsonNode settings = JSON.readTree(direct.get("/" + SearchDocument.INDEX + "/_settings").body())
                .path(SearchDocument.INDEX).path("settings").path("index");

        assertThat(mapping.path("title").path("type").asText()).isEqualTo("text");
        assertThat(mapping.path("title").path("fields").path("keyword").path("type").asText()).isEqualTo("keyword");
        assertThat(mapping.path("user").path("type").asText()).isEqualTo("keyword");
        assertThat(mapping.path("namespace").path("type").asText()).isEqualTo("integer");
        assertThat(settings.path("number_of_replicas").asText()).isEqualTo("0");
        assertThat(settings.path("translog").path("durability").asText()).isEqualTo("request");
    }

    @Test
    void sendsADocumentWithAMappingErrorToTheDeadLetterStoreAndIndexesTheRestOfTheBatch() throws Exception {
        writer = newWriter(direct, 100, Duration.ofHours(1));
        writer.start();
        List<RecentChange> good = TestEvents.builtIn();
        RecentChange bad = RecentChangeReader.read(TestEvents.edit(99));
        ObjectNode badDocument = (ObjectNode) JSON.readTree(SearchDocument.toJson(bad));
        badDocument.put("namespace", "not-a-number");
        writeAll(good.subList(0, 2));
        writer.writeDocument(bad.eventId(), JSON.writeValueAsString(badDocument), TestEvents.edit(99), bad.eventId(),
                tracker.admit(bad.eventId()));
        writeAll(good.subList(2, good.size()));
        writer.flush();

        List<JsonNode> letters = deadLetterLines();
        assertThat(letters).hasSize(1);
        JsonNode letter = letters.get(0);
        assertThat(letter.path("stage").asText()).isEqualTo("index");
        assertThat(letter.path("event_id").asText()).isEqualTo(bad.eventId());
        assertThat(letter.path("raw").asText()).isEqualTo(TestEvents.edit(99));
        assertThat(letter.path("reason").asText()).contains("mapper_parsing_exception").contains("[namespace]");
        assertThat(count()).isEqualTo(good.size());
        assertThat(direct.get("/" + SearchDocument.INDEX + "/_doc/" + bad.eventId()).status()).isEqualTo(404);
        assertThat(checkpoints.lastEventId()).contains(good.get(good.size() - 1).eventId());
    }

    @Test
    void acknowledgesNothingWhileTheIndexCannotTakeDocumentsAndBlocksTheWriterWhenTheBufferIsFull() throws Exception {
        writer = newWriter(direct, 10, Duration.ZERO);
        writer.start();
        writer.setPaused(true);
        List<RecentChange> events = TestEvents.edits(25);
        AtomicInteger returned = new AtomicInteger();
        Thread producer = new Thread(() -> events.forEach(rc -> {
            writer.write(SearchDocument.id(rc), SearchDocument.toJson(rc), null, tracker.admit(rc.eventId()), rc.eventTime());
            returned.incrementAndGet();
        }), "producer");
        producer.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> producer.getState() == Thread.State.TIMED_WAITING
                || producer.getState() == Thread.State.WAITING);
        assertTimeoutPreemptively(Duration.ofSeconds(5), writer::flushIfDue); // the timer is never held up
        assertThat(returned.get()).isLessThan(events.size()).isLessThanOrEqualTo(2 * 10);
        assertThat(tracker.uncommitted()).isEqualTo(tracker.lastAdmitted()).isPositive();
        assertThat(checkpoints.lastEventId()).isEmpty();
        assertThat(writer.acknowledgedSeq()).isZero();

        writer.setPaused(false);
        producer.join(Duration.ofSeconds(20).toMillis());
        writer.flush();

        assertThat(returned.get()).isEqualTo(events.size());
        assertThat(count()).isEqualTo(events.size());
        assertThat(tracker.uncommitted()).isZero();
        assertThat(checkpoints.lastEventId()).contains(events.get(events.size() - 1).eventId());
    }

    @Test
    void keepsRetryingAnUnreachableClusterWithoutMovingTheWatermarkAndCatchesUpWhenItReturns() throws Exception {
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(node.url()); CapturedLog log = new CapturedLog(IndexWriter.class)) {
            writer = newWriter(new OpenSearchClient(OpenSearchEndpoint.of(proxy.url(), "", "")), 5, Duration.ZERO);
            writer.start();
            proxy.setUnreachable(true);
            List<RecentChange> events = TestEvents.edits(12);
            Thread producer = new Thread(() -> events.forEach(rc -> writer.write(SearchDocument.id(rc), SearchDocument.toJson(rc), null, tracker.admit(rc.eventId()), rc.eventTime())), "producer");
            producer.start();

            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.dropped() >= 3);
            assertThat(checkpoints.lastEventId()).isEmpty();
            assertThat(tracker.uncommitted()).isEqualTo(tracker.lastAdmitted()).isPositive();
            assertThat(writer.problem()).hasValueSatisfying(problem -> assertThat(problem).contains("unreachable"));
            assertThat(log.messages(Level.WARN)).singleElement().asString() // one warning, not one per attempt
                    .contains("unreachable").contains(proxy.url()).contains("watermark stays at seq 0");

            proxy.setUnreachable(false);
            producer.join(Duration.ofSeconds(20).toMillis());
            writer.flush();

            assertThat(count()).isEqualTo(events.size());
            assertThat(checkpoints.lastEventId()).contains(events.get(events.size() - 1).eventId());
            assertThat(writer.problem()).isEmpty();
            assertThat(log.messages(Level.INFO)).anySatisfy(message -> assertThat(message).contains("took the batch after"));
        }
    }

    @Test
    void resendsOnlyTheItemsOpenSearchRejectedWithTooManyRequests() throws Exception {
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(node.url())) {
            writer = newWriter(new OpenSearchClient(OpenSearchEndpoint.of(proxy.url(), "", "")), 10, Duration.ofHours(1));
            writer.start();
            List<RecentChange> events = TestEvents.edits(10);
            List<String> ids = events.stream().map(RecentChange::eventId).toList();
            List<String> rejected = List.of(ids.get(1), ids.get(4), ids.get(7));
            proxy.rejectOnce(Set.copyOf(rejected));

            writeAll(events); // the tenth write fills the batch and sends it

            assertThat(proxy.bulkIds()).containsExactly(ids, rejected);
            assertThat(writer.retriedItems()).isEqualTo(3);
            assertThat(count()).isEqualTo(10);
            assertThat(deadLetterLines()).isEmpty();
            assertThat(checkpoints.lastEventId()).contains(ids.get(9));
        }
    }

    @Test
    void aCrashAfterTheBulkResponseButBeforeAcknowledgementLeavesTheCheckpointBehindTheDurableDocuments() throws Exception {
        int exit = runCrashProbe(CrashPoint.INDEX_BULK_SENT, 20);

        assertThat(exit).isEqualTo(137);
        assertThat(count()).isEqualTo(20); // durable in OpenSearch, so the replay after restart overwrites them
        assertThat(new CheckpointStore(work.resolve("probe").resolve("state"), "crash-probe").lastEventId()).isEmpty();
    }

    @Test
    void aCrashRightAfterAcknowledgementFindsTheCheckpointAtTheBatch() throws Exception {
        int exit = runCrashProbe(CrashPoint.INDEX_ACKNOWLEDGED, 20);

        assertThat(exit).isEqualTo(137);
        assertThat(count()).isEqualTo(20);
        assertThat(new CheckpointStore(work.resolve("probe").resolve("state"), "crash-probe").lastEventId())
                .contains(TestEvents.edits(20).get(19).eventId());
    }

    /** Runs {@link IndexCrashProbe} in a small child JVM armed to halt at {@code crashPoint}; returns its exit code. */
    private int runCrashProbe(String crashPoint, int count) throws Exception {
        Path log = work.resolve("probe.log");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-Dwikiedits.test.crash-at=" + crashPoint,
                "-cp", System.getProperty("java.class.path"), IndexCrashProbe.class.getName(),
                node.url(), work.resolve("probe").toString(), String.valueOf(count))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!child.waitFor(60, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            throw new AssertionError("the crash probe did not finish; its output: " + Files.readString(log));
        }
        assertThat(Files.readString(log)).as("probe output").contains("crash point '" + crashPoint + "' reached");
        return child.exitValue();
    }

    private IndexWriter newWriter(OpenSearchClient client, int batchSize, Duration linger) {
        return new IndexWriter(client, tracker, deadLetters, batchSize, linger, QUICK);
    }

    private void writeAll(List<RecentChange> events) {
        for (RecentChange rc : events) {
            writer.write(SearchDocument.id(rc), SearchDocument.toJson(rc), null, tracker.admit(rc.eventId()), rc.eventTime());
        }
    }

    private static long count() throws Exception {
        direct.postJson("/" + SearchDocument.INDEX + "/_refresh", "");
        return JSON.readTree(direct.get("/" + SearchDocument.INDEX + "/_count").body()).path("count").asLong();
    }

    private static Set<String> allIds() throws Exception {
        JsonNode hits = JSON.readTree(direct.postJson("/" + SearchDocument.INDEX + "/_search",
                "{\"size\":10000,\"_source\":false,\"query\":{\"match_all\":{}}}").body()).path("hits").path("hits");
        Set<String> ids = new HashSet<>();
        hits.forEach(hit -> ids.add(hit.path("_id").asText()));
        return ids;
    }

    private List<JsonNode> deadLetterLines() throws Exception {
        Path directory = work.resolve("dead-letter");
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<JsonNode> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    lines.add(JSON.readTree(line));
                }
            }
        }
        return lines;
    }

    /** The recorded samples, read; skips the test without them (fails in CI). */
    private static List<RecentChange> recordedEvents() throws Exception {
        List<RecentChange> events = new ArrayList<>();
        for (String line : Samples.lines()) {
            events.add(RecentChangeReader.read(line));
        }
        return events;
    }
}
