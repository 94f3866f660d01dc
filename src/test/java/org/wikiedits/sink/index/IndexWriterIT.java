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
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.checkpoint.CheckpointStore;
import org.wikiedits.checkpoint.CommitTracker;
import org.wikiedits.deadletter.DeadLetterStore;
import org.wikiedits.opensearch.EmbeddedOpenSearch;
import org.wikiedits.opensearch.OpenSearchClient;
import org.wikiedits.opensearch.OpenSearchEndpoint;
import org.wikiedits.testing.LoopbackPorts;
import org.wikiedits.transform.MalformedEventException;
import org.wikiedits.transform.RecentChange;
import org.wikiedits.transform.RecentChangeReader;
import org.wikiedits.transform.SearchDocument;

/**
 * The index sink against a real embedded node (one per class), directly or through a
 * {@link FaultInjectingProxy}. Each test starts from no {@code wikiedits} index and no template.
 */
class IndexWriterIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLES = Path.of("..", "shared", "samples");
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
        Assumptions.assumeTrue(Files.isDirectory(SAMPLES),
                "no recorded events at " + SAMPLES.toAbsolutePath().normalize() + " (CI lays them out there)");
        List<RecentChange> events = new ArrayList<>(recordedEvents());
        events.addAll(builtInEvents());
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
        writeAll(builtInEvents());
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
        List<RecentChange> good = builtInEvents();
        RecentChange bad = RecentChangeReader.read(edit(99));
        ObjectNode badDocument = (ObjectNode) JSON.readTree(SearchDocument.toJson(bad));
        badDocument.put("namespace", "not-a-number");
        writeAll(good.subList(0, 2));
        writer.writeDocument(bad.eventId(), JSON.writeValueAsString(badDocument), edit(99), bad.eventId(),
                tracker.admit(bad.eventId()));
        writeAll(good.subList(2, good.size()));
        writer.flush();

        List<JsonNode> letters = deadLetterLines();
        assertThat(letters).hasSize(1);
        JsonNode letter = letters.get(0);
        assertThat(letter.path("stage").asText()).isEqualTo("index");
        assertThat(letter.path("event_id").asText()).isEqualTo(bad.eventId());
        assertThat(letter.path("raw").asText()).isEqualTo(edit(99));
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
        List<RecentChange> events = syntheticEvents(25);
        AtomicInteger returned = new AtomicInteger();
        Thread producer = new Thread(() -> events.forEach(rc -> {
            writer.write(rc, tracker.admit(rc.eventId()));
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
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(node.url())) {
            writer = newWriter(new OpenSearchClient(OpenSearchEndpoint.of(proxy.url(), "", "")), 5, Duration.ZERO);
            writer.start();
            proxy.setUnreachable(true);
            List<RecentChange> events = syntheticEvents(12);
            Thread producer = new Thread(() -> events.forEach(rc -> writer.write(rc, tracker.admit(rc.eventId()))), "producer");
            producer.start();

            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.dropped() >= 3);
            assertThat(checkpoints.lastEventId()).isEmpty();
            assertThat(tracker.uncommitted()).isEqualTo(tracker.lastAdmitted()).isPositive();
            assertThat(writer.problem()).hasValueSatisfying(problem -> assertThat(problem).contains("unreachable"));

            proxy.setUnreachable(false);
            producer.join(Duration.ofSeconds(20).toMillis());
            writer.flush();

            assertThat(count()).isEqualTo(events.size());
            assertThat(checkpoints.lastEventId()).contains(events.get(events.size() - 1).eventId());
            assertThat(writer.problem()).isEmpty();
        }
    }

    @Test
    void resendsOnlyTheItemsOpenSearchRejectedWithTooManyRequests() throws Exception {
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(node.url())) {
            writer = newWriter(new OpenSearchClient(OpenSearchEndpoint.of(proxy.url(), "", "")), 10, Duration.ofHours(1));
            writer.start();
            List<RecentChange> events = syntheticEvents(10);
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

    private IndexWriter newWriter(OpenSearchClient client, int batchSize, Duration linger) {
        return new IndexWriter(client, tracker, deadLetters, batchSize, linger, QUICK);
    }

    private void writeAll(List<RecentChange> events) {
        for (RecentChange rc : events) {
            writer.write(rc, tracker.admit(rc.eventId()));
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

    private static List<RecentChange> recordedEvents() throws Exception {
        List<RecentChange> events = new ArrayList<>();
        try (Stream<Path> files = Files.list(SAMPLES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".ndjson")).sorted().toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        events.add(RecentChangeReader.read(line));
                    }
                }
            }
        }
        return events;
    }

    /** Real-shaped events covering the awkward corners: unicode, quotes, absent fields, odd log_params. */
    private static List<RecentChange> builtInEvents() throws MalformedEventException {
        return List.of(
                RecentChangeReader.read(edit(1)),
                RecentChangeReader.read("""
                        {"$schema":"/mediawiki/recentchange/1.0.0","meta":{"uri":"https://de.wikipedia.org/wiki/K%C3%B6ln","id":"7b0a6f0e-1c1e-4b5e-9d64-0f1a2b3c4d5e","domain":"de.wikipedia.org","stream":"mediawiki.recentchange","dt":"2026-08-04T15:24:30.101Z"},"id":1790001,"type":"new","namespace":0,"title":"Köln \\"Altstadt\\"","comment":"neu angelegt\\nmit Zeilenumbruch","timestamp":1785857070,"user":"Beispiel-Nutzer","bot":false,"minor":false,"patrolled":true,"length":{"new":2048},"revision":{"new":250000001},"server_name":"de.wikipedia.org","wiki":"dewiki"}"""),
                RecentChangeReader.read("""
                        {"meta":{"id":"0d9c8b7a-6f5e-4d3c-2b1a-0f9e8d7c6b5a","domain":"commons.wikimedia.org","dt":"2026-08-04T15:24:31Z"},"id":2990002,"type":"log","namespace":6,"title":"File:Example.jpg","timestamp":1785857071,"user":"UploadBot","bot":true,"log_id":5550001,"log_type":"upload","log_action":"overwrite","log_params":{"img_sha1":"abc","img_timestamp":"20260804152431"},"log_action_comment":"uploaded a new version","comment":"","server_name":"commons.wikimedia.org","wiki":"commonswiki"}"""),
                RecentChangeReader.read("""
                        {"meta":{"id":"5e4d3c2b-1a0f-4e9d-8c7b-6a5f4e3d2c1b","domain":"www.wikidata.org","dt":"2026-08-04T15:24:32.5Z"},"type":"categorize","namespace":14,"title":"Category:Living people","timestamp":1785857072,"user":"127.0.0.1","bot":false,"log_params":"","comment":"[[:Q1]] added to category","server_name":"www.wikidata.org","wiki":"wikidatawiki"}"""));
    }

    private static List<RecentChange> syntheticEvents(int count) throws MalformedEventException {
        List<RecentChange> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(RecentChangeReader.read(edit(1000 + i)));
        }
        return events;
    }

    /** An edit shaped like the live stream's, numbered so that its meta.id is stable. */
    private static String edit(int n) {
        String id = UUID.nameUUIDFromBytes(("wikiedits-test-" + n).getBytes(StandardCharsets.UTF_8)).toString();
        return "{\"$schema\":\"/mediawiki/recentchange/1.0.0\",\"meta\":{\"uri\":\"https://en.wikipedia.org/wiki/Page_" + n
                + "\",\"request_id\":\"" + UUID.nameUUIDFromBytes(("request-" + n).getBytes(StandardCharsets.UTF_8))
                + "\",\"id\":\"" + id + "\",\"domain\":\"en.wikipedia.org\",\"stream\":\"mediawiki.recentchange\","
                + "\"dt\":\"2026-08-04T15:2" + (n % 10) + ":00.000Z\",\"topic\":\"eqiad.mediawiki.recentchange\",\"partition\":0,"
                + "\"offset\":" + (6387234775L + n) + "},\"id\":" + (1700000000L + n) + ",\"type\":\"edit\",\"namespace\":0,"
                + "\"title\":\"Page " + n + "\",\"comment\":\"copyedit\",\"timestamp\":1785857069,\"user\":\"Editor" + (n % 7)
                + "\",\"bot\":false,\"minor\":true,\"patrolled\":false,\"length\":{\"old\":" + (1000 + n) + ",\"new\":" + (1010 + n)
                + "},\"revision\":{\"old\":" + (90000000L + n) + ",\"new\":" + (90000100L + n)
                + "},\"server_url\":\"https://en.wikipedia.org\",\"server_name\":\"en.wikipedia.org\",\"server_script_path\":\"/w\","
                + "\"wiki\":\"enwiki\",\"parsedcomment\":\"copyedit\"}";
    }
}
