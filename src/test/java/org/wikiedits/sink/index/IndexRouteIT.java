package org.wikiedits.sink.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.seda.SedaComponent;
import org.apache.camel.model.ProcessDefinition;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.commit.FlushOnStop;
import org.wikiedits.testing.CapturedLog;
import org.wikiedits.testing.FaultInjectingProxy;
import org.wikiedits.testing.LoopbackPorts;
import org.wikiedits.testing.OpenSearchHttp;
import org.wikiedits.testing.RouteFileTestSupport;
import org.wikiedits.testing.Samples;
import org.wikiedits.transform.RecentChange;
import org.wikiedits.transform.RecentChangeReader;
import org.wikiedits.transform.SearchDocument;

/**
 * routes/local/index/index.camel.yaml as shipped (its seda queue, its linger timer, the real
 * {@code opensearch:} Bulk endpoint) against a real embedded node (one per class), directly or through a
 * {@link FaultInjectingProxy}. Each test starts from no {@code wikiedits} index and no template.
 */
class IndexRouteIT extends RouteFileTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int QUEUE = 20;

    @TempDir
    static Path nodeDir;
    static EmbeddedOpenSearch node;
    static OpenSearchHttp direct;

    private IndexSink sink;

    @BeforeAll
    static void startNode() {
        node = EmbeddedOpenSearch.start(nodeDir, LoopbackPorts.free());
        direct = new OpenSearchHttp(OpenSearchEndpoint.embedded(node));
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (direct != null) {
            direct.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @BeforeEach
    void emptyIndex() throws Exception {
        direct.send("DELETE", "/" + SearchDocument.INDEX, null);
        direct.send("DELETE", "/_index_template/" + SearchDocument.INDEX, null);
    }

    @Override
    protected List<String> trackedSinks() {
        return List.of(IndexSink.SINK);
    }

    /** The index routes to {@code url} with the app's queue settings (bounded, blocking when full). */
    private void startIndexRoutes(String url, int batchSize, Duration linger) throws Exception {
        sink = TestIndexSinks.create(context, url, tracker, deadLetters, batchSize, linger);
        context.getRegistry().bind("indexSink", sink);
        context.addService(sink, true, true);
        context.addLifecycleStrategy(new FlushOnStop(List.of("seda:index"))); // as WikieditsBeans.indexSink does
        SedaComponent seda = context.getComponent("seda", SedaComponent.class);
        seda.setQueueSize(QUEUE);
        seda.setDefaultBlockWhenFull(true);
        loadSourceRoutes();
        loadRouteFile("local/index/index.camel.yaml");
    }

    @Test
    void indexesEveryRecordedEventOnceWithItsMetaIdAsDocumentIdAndAReplayChangesNothing() throws Exception {
        List<RecentChange> events = new ArrayList<>(recordedEvents());
        events.addAll(TestEvents.builtIn());
        Set<String> distinctIds = new LinkedHashSet<>();
        events.forEach(rc -> distinctIds.add(rc.eventId()));
        assertThat(events).hasSizeGreaterThan(1000);
        assertThat(distinctIds).hasSizeLessThan(events.size()); // the samples hold real duplicates
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(node.url())) {
            startIndexRoutes(proxy.url(), 200, Duration.ofMillis(50));
            context.start();

            sendAll(events);
            awaitCommitted();

            assertThat(count()).isEqualTo(distinctIds.size());
            assertThat(allIds()).isEqualTo(distinctIds);
            assertThat(sink.delivered()).as("the progress line's count: distinct documents, as the index").isEqualTo(distinctIds.size());
            assertThat(sink.acknowledged()).isEqualTo(events.size());
            assertThat(tracker.store().lastEventId()).contains(wikimediaSseId(events.size()));

            sendAll(events); // a replay, as after a crash
            awaitCommitted();

            assertThat(count()).isEqualTo(distinctIds.size());
            assertThat(sink.delivered()).as("a replay adds no document").isEqualTo(distinctIds.size());
            assertThat(proxy.mostBulksAtOnce()).as("one batch in flight: the queue's consumer waits for the async endpoint")
                    .isEqualTo(1);
        }
        assertThat(sink.deadLettered()).isZero();
        assertThat(sink.bulkRequests()).isGreaterThanOrEqualTo(2L * events.size() / 200);
    }

    @Test
    void aCleanStopIndexesAndCommitsThePendingDocumentsBeforeTheLingerTime() throws Exception {
        startIndexRoutes(node.url(), 200, Duration.ofHours(1));
        context.start();
        List<RecentChange> events = TestEvents.edits(7);
        sendAll(events);
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.buffered() == events.size());

        context.stop();

        assertThat(count()).isEqualTo(events.size());
        assertThat(tracker.uncommitted()).isZero();
        assertThat(tracker.store().lastEventId()).contains(wikimediaSseId(events.size()));
    }

    @Test
    void aStoppedAndRestartedBulkRouteSendsThroughTheSharedClientAgain() throws Exception {
        startIndexRoutes(node.url(), 5, Duration.ZERO);
        context.start();
        List<RecentChange> events = TestEvents.edits(10);
        sendAll(events.subList(0, 5));
        awaitCommitted();

        // as a reload of the route file does: camel-opensearch's producer closes its client when the route stops
        context.getRouteController().stopRoute("index-bulk");
        context.getRouteController().startRoute("index-bulk");
        sendAll(events.subList(5, 10));
        awaitCommitted();

        assertThat(count()).isEqualTo(events.size());
        assertThat(sink.problem()).isEmpty();
    }

    @Test
    void installsTheTemplateAtStartSoTheIndexGetsTheContractMapping() throws Exception {
        startIndexRoutes(node.url(), 10, Duration.ZERO);
        context.start();
        sendAll(TestEvents.builtIn());
        awaitCommitted();

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
        JsonNode stored = JSON.readTree(direct.get("/" + SearchDocument.INDEX + "/_doc/" + TestEvents.builtIn().get(1).eventId()).body());
        assertThat(JSON.writeValueAsString(stored.path("_source"))).isEqualTo(SearchDocument.toJson(TestEvents.builtIn().get(1)));
    }

    @Test
    void aDocumentTheMappingRejectsGoesToTheDeadLetterStoreAndTheRestOfItsBatchIsIndexedOnce() throws Exception {
        List<RecentChange> events = TestEvents.edits(10);
        RecentChange bad = events.get(4);
        startIndexRoutes(node.url(), 10, Duration.ofHours(1));
        // after the transformation, one document gets a namespace the mapping (integer) cannot take
        AdviceWith.adviceWith(context, "index", route -> route.weaveByType(ProcessDefinition.class).after().process(exchange -> {
            String body = exchange.getMessage().getBody(String.class);
            if (body != null && body.contains(bad.eventId())) {
                ObjectNode document = (ObjectNode) JSON.readTree(body);
                document.put("namespace", "not-a-number");
                exchange.getMessage().setBody(JSON.writeValueAsString(document));
            }
        }));
        context.start();

        for (int i = 0; i < events.size(); i++) {
            sendAdmitted("seda:index", TestEvents.edit(1000 + i), events.get(i));
        }
        awaitCommitted();

        assertThat(deadLetterLines()).singleElement().satisfies(letter -> {
            assertThat(letter.path("stage").asText()).isEqualTo("index");
            assertThat(letter.path("event_id").asText()).isEqualTo(bad.eventId());
            assertThat(letter.path("raw").asText()).isEqualTo(TestEvents.edit(1004));
            assertThat(letter.path("reason").asText()).contains("mapper_parsing_exception").contains("[namespace]");
        });
        assertThat(count()).isEqualTo(9);
        assertThat(direct.get("/" + SearchDocument.INDEX + "/_doc/" + bad.eventId()).status()).isEqualTo(404);
        assertThat(sink.bulkRequests()).as("rejected for good: not sent again").isEqualTo(1);
        assertThat(tracker.store().lastEventId()).contains(wikimediaSseId(events.size()));
    }

    @Test
    void resendsOnlyTheItemsOpenSearchRejectedWithTooManyRequests() throws Exception {
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(node.url())) {
            startIndexRoutes(proxy.url(), 10, Duration.ofHours(1));
            context.start();
            List<RecentChange> events = TestEvents.edits(10);
            List<String> ids = events.stream().map(RecentChange::eventId).toList();
            List<String> rejected = List.of(ids.get(1), ids.get(4), ids.get(7));
            proxy.rejectOnce(Set.copyOf(rejected));

            sendAll(events); // the tenth event fills the batch
            awaitCommitted();

            assertThat(proxy.bulkIds()).containsExactly(ids, rejected);
            assertThat(sink.retriedItems()).isEqualTo(3);
            assertThat(count()).isEqualTo(10);
            assertThat(deadLetterLines()).isEmpty();
            assertThat(sink.problem()).isEmpty();
        }
    }

    @Test
    void anUnreachableClusterHoldsTheQueueAndTheCheckpointAndEverythingArrivesOnceWhenItReturns() throws Exception {
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(node.url())) {
            proxy.setUnreachable(true);
            startIndexRoutes(proxy.url(), 5, Duration.ZERO);
            context.start();
            List<RecentChange> events = TestEvents.edits(60);
            AtomicInteger handedOver = new AtomicInteger();
            Thread source = new Thread(() -> events.forEach(rc -> {
                sendAdmitted("seda:index", TestEvents.edit(1000 + handedOver.get()), rc);
                handedOver.incrementAndGet();
            }), "source");
            source.start();

            await().atMost(Duration.ofSeconds(20)).until(() -> proxy.dropped() >= 3);
            Thread.sleep(500);
            // the route holds one batch and the timer's tick may hold a place: the rest waits in the full queue
            assertThat(handedOver.get()).as("events the source could hand over").isLessThanOrEqualTo(5 + QUEUE + 1)
                    .isLessThan(events.size());
            assertThat(source.getState()).isIn(Thread.State.WAITING, Thread.State.TIMED_WAITING);
            assertThat(tracker.store().lastEventId()).isEmpty();
            assertThat(tracker.uncommitted()).isEqualTo(tracker.lastAdmitted()).isPositive();
            assertThat(sink.problem()).hasValueSatisfying(problem -> assertThat(problem).contains("unreachable").contains(proxy.url()));

            proxy.setUnreachable(false);
            source.join(Duration.ofSeconds(30).toMillis());
            awaitCommitted();

            assertThat(handedOver.get()).isEqualTo(events.size());
            assertThat(count()).isEqualTo(events.size());
            assertThat(allIds()).isEqualTo(new HashSet<>(events.stream().map(RecentChange::eventId).toList()));
            assertThat(tracker.store().lastEventId()).contains(wikimediaSseId(events.size()));
            assertThat(sink.problem()).isEmpty();
        }
    }

    @Test
    void aStopWithTheClusterUnreachableTakesSecondsAndSaysHowManyEventsAreReplayedFromTheCheckpoint() throws Exception {
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(node.url());
             CapturedLog log = new CapturedLog(IndexSink.class)) {
            proxy.setUnreachable(true);
            startIndexRoutes(proxy.url(), 5, Duration.ZERO);
            sink.setCloseTimeout(Duration.ofSeconds(10)); // as in the app
            context.start();
            List<RecentChange> events = TestEvents.edits(12);
            sendAll(events);
            await().atMost(Duration.ofSeconds(20)).until(() -> proxy.dropped() >= 3);

            long started = System.nanoTime();
            context.stop();
            Duration stopping = Duration.ofNanos(System.nanoTime() - started);

            assertThat(stopping).as("stop with the cluster unreachable").isLessThan(Duration.ofSeconds(8));
            assertThat(tracker.store().lastEventId()).isEmpty();
            assertThat(log.messages(Level.WARN)).anySatisfy(message -> assertThat(message)
                    .startsWith("Index: " + events.size() + " events were not indexed before the stop")
                    .contains("unreachable").contains("replayed from the checkpoint"));
            assertThat(log.messages(Level.WARN)).noneMatch(message -> message.contains("was not committed"));
        }
    }

    private void sendAll(List<RecentChange> events) {
        for (RecentChange rc : events) {
            sendAdmitted("seda:index", SearchDocument.toJson(rc), rc);
        }
    }

    private void awaitCommitted() {
        await().atMost(Duration.ofSeconds(60)).until(() -> tracker.uncommitted() == 0);
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

    /** The recorded samples, read; skips the test without them (fails in CI). */
    private static List<RecentChange> recordedEvents() throws Exception {
        List<RecentChange> events = new ArrayList<>();
        for (String line : Samples.lines()) {
            events.add(RecentChangeReader.read(line));
        }
        return events;
    }
}
