package org.wikiedits.sink.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.util.RawValue;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.spi.Registry;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.opensearch.client.opensearch.core.bulk.BulkResponseItem;
import org.opensearch.client.opensearch.core.bulk.IndexOperation;
import org.wikiedits.pipeline.FlushOnStop;
import org.wikiedits.testing.CapturedLog;
import org.wikiedits.testing.RouteFileTestSupport;
import org.wikiedits.transform.Fixtures;
import org.wikiedits.transform.RecentChange;

/**
 * routes/local/index/index.camel.yaml with the real processor and the real index sink; the
 * {@code opensearch:} Bulk endpoint is replaced by a stand-in that answers each index operation as
 * scripted, in the shape the endpoint returns ({@code BulkResponse.items()}); IndexRouteIT sends to a
 * real node. {@code seda:index} becomes {@code direct:index}, so each send returns once the route is done.
 */
class IndexRouteTest extends RouteFileTestSupport {

    private static final int BATCH = 4;

    private IndexSink sink;
    /** The document ids of every bulk the endpoint received, in order. */
    private final List<List<String>> bulks = new CopyOnWriteArrayList<>();
    private final List<List<String>> documents = new CopyOnWriteArrayList<>();
    /** Statuses to answer for an id, one per bulk that carries it; 201 once the list is used up. */
    private final Map<String, List<Integer>> script = new HashMap<>();
    /** Bulks to fail as a whole (as when the cluster is unreachable) before answering. */
    private final AtomicInteger unreachableFor = new AtomicInteger();

    @Override
    protected List<String> trackedSinks() {
        return List.of(IndexSink.SINK);
    }

    @Override
    protected void bindToRegistry(Registry registry) throws Exception {
        super.bindToRegistry(registry);
        sink = TestIndexSinks.standIn(context, tracker, deadLetters, BATCH, Duration.ofMillis(50));
        registry.bind("indexSink", sink);
    }

    private void startIndexRoutes() throws Exception {
        loadSourceRoutes();
        loadRouteFile("local/index/index.camel.yaml");
        AdviceWith.adviceWith(context, "index", route -> route.replaceFromWith("direct:index"));
        AdviceWith.adviceWith(context, "index-flush", route -> route.replaceFromWith("direct:index-flush"));
        AdviceWith.adviceWith(context, "index-bulk", route -> route.weaveByToUri("opensearch:*").replace().process(this::answer));
        context.start();
    }

    @SuppressWarnings("unchecked")
    private void answer(Exchange exchange) throws Exception {
        List<IndexOperation<RawValue>> operations = exchange.getMessage().getBody(List.class);
        bulks.add(operations.stream().map(IndexOperation::id).toList());
        documents.add(operations.stream().map(operation -> (String) operation.document().rawValue()).toList());
        if (unreachableFor.getAndDecrement() > 0) {
            throw new ConnectException("Connection refused");
        }
        List<BulkResponseItem> items = new ArrayList<>();
        for (IndexOperation<RawValue> operation : operations) {
            List<Integer> statuses = script.getOrDefault(operation.id(), new ArrayList<>());
            int status = statuses.isEmpty() ? 201 : statuses.remove(0);
            items.add(BulkOutcomeTest.item(operation.id(), status, status == 201 ? null : status == 429
                    ? BulkOutcomeTest.error("es_rejected_execution_exception", "rejected", null)
                    : BulkOutcomeTest.error("mapper_parsing_exception", "failed to parse field [namespace]", null)));
        }
        exchange.getMessage().setBody(items);
    }

    @Test
    void everyFixtureGoesOutInBulksOfBatchSizeAsItsExpectedDocumentWithMetaIdAsId() throws Exception {
        startIndexRoutes();
        List<String> names = Fixtures.eventNames().subList(0, 2 * BATCH);

        for (String name : names) {
            sendAdmitted("direct:index", Fixtures.event(name), Fixtures.recentChange(name));
        }

        assertThat(bulks).hasSize(2).allSatisfy(bulk -> assertThat(bulk).hasSize(BATCH));
        assertThat(bulks.stream().flatMap(List::stream)).containsExactlyElementsOf(
                names.stream().map(name -> Fixtures.recentChange(name).eventId()).toList());
        assertThat(documents.stream().flatMap(List::stream)).containsExactlyElementsOf(
                names.stream().map(Fixtures::expectedDocument).toList());
        assertThat(sink.acknowledgedSeq()).isEqualTo(names.size());
        assertThat(tracker.uncommitted()).isZero();
        assertThat(deadLetterLines()).isEmpty();
    }

    @Test
    void aFlushTickSendsAPartialBatchOnlyOnceItsOldestDocumentHasWaitedTheLingerTime() throws Exception {
        startIndexRoutes();
        sendAdmitted("direct:index", Fixtures.event("edit-basic"), Fixtures.recentChange("edit-basic"));
        sendAdmitted("direct:index", Fixtures.event("new-page"), Fixtures.recentChange("new-page"));

        template.sendBodyAndHeader("direct:index", null, FlushOnStop.HEADER, FlushOnStop.DUE);
        assertThat(bulks).isEmpty();
        Thread.sleep(60);
        assertThat(sink.tickDue()).isTrue();
        assertThat(sink.tickDue()).as("one tick at a time in the queue").isFalse();
        template.sendBodyAndHeader("direct:index", null, FlushOnStop.HEADER, FlushOnStop.DUE);

        assertThat(bulks).singleElement().asList().hasSize(2);
        assertThat(tracker.uncommitted()).isZero();
        assertThat(sink.buffered()).isZero();
    }

    @Test
    void theLastTickWhenCamelStopsSendsThePendingDocumentsWithoutWaitingForTheLingerTime() throws Exception {
        startIndexRoutes();
        sendAdmitted("direct:index", Fixtures.event("edit-basic"), Fixtures.recentChange("edit-basic"));
        sendAdmitted("direct:index", Fixtures.event("new-page"), Fixtures.recentChange("new-page"));

        template.sendBodyAndHeader("direct:index", null, FlushOnStop.HEADER, FlushOnStop.ALL);

        assertThat(bulks).singleElement().asList().hasSize(2);
        assertThat(tracker.uncommitted()).isZero();
        assertThat(sink.buffered()).isZero();
    }

    @Test
    void onlyTheItemsRefusedForNowAreSentAgainAndAMappingErrorBecomesADeadLetterWithTheOriginalEvent() throws Exception {
        startIndexRoutes();
        List<String> names = Fixtures.eventNames().subList(0, BATCH);
        List<String> ids = names.stream().map(name -> Fixtures.recentChange(name).eventId()).toList();
        script.put(ids.get(1), new ArrayList<>(List.of(429, 503)));
        script.put(ids.get(2), new ArrayList<>(List.of(400)));

        for (String name : names) {
            sendAdmitted("direct:index", Fixtures.event(name), Fixtures.recentChange(name));
        }

        assertThat(bulks).containsExactly(ids, List.of(ids.get(1)), List.of(ids.get(1)));
        assertThat(sink.retriedItems()).isEqualTo(2);
        assertThat(deadLetterLines()).singleElement().satisfies(letter -> {
            assertThat(letter.path("stage").asText()).isEqualTo("index");
            assertThat(letter.path("event_id").asText()).isEqualTo(ids.get(2));
            assertThat(letter.path("raw").asText()).isEqualTo(Fixtures.event(names.get(2)));
            assertThat(letter.path("reason").asText()).isEqualTo("mapper_parsing_exception: failed to parse field [namespace]");
        });
        assertThat(tracker.uncommitted()).isZero();
        assertThat(sink.problem()).isEmpty();
    }

    @Test
    void aBulkThatFailsAsAWholeIsRetriedWithoutCommittingAndTheProblemIsReportedOnce() throws Exception {
        startIndexRoutes();
        unreachableFor.set(3);
        List<String> names = Fixtures.eventNames().subList(0, BATCH);
        List<String> problems = new CopyOnWriteArrayList<>();
        try (CapturedLog log = new CapturedLog(IndexSink.class)) {
            for (int i = 0; i < BATCH - 1; i++) {
                sendAdmitted("direct:index", Fixtures.event(names.get(i)), Fixtures.recentChange(names.get(i)));
            }
            Thread watcher = new Thread(() -> {
                while (bulks.size() < 4) {
                    sink.problem().ifPresent(problems::add);
                    Thread.onSpinWait();
                }
            });
            watcher.start();
            sendAdmitted("direct:index", Fixtures.event(names.get(BATCH - 1)), Fixtures.recentChange(names.get(BATCH - 1)));
            watcher.join(5000);

            assertThat(bulks).hasSize(4).allSatisfy(bulk -> assertThat(bulk).hasSize(BATCH));
            assertThat(problems).isNotEmpty().allSatisfy(problem -> assertThat(problem).contains("unreachable"));
            assertThat(log.messages(Level.WARN)).singleElement().asString().contains("unreachable")
                    .contains("watermark stays at seq 0");
            assertThat(log.messages(Level.INFO)).anySatisfy(message -> assertThat(message).contains("took the batch after 3 retries"));
        }
        assertThat(sink.problem()).isEmpty();
        assertThat(tracker.uncommitted()).isZero();
    }

    @Test
    void anEventOutOfSequenceOrderIsDeadLetteredWithItsEventIdAndRawText() throws Exception {
        startIndexRoutes();
        String laterRaw = Fixtures.event("new-page");
        RecentChange later = Fixtures.recentChange("new-page");
        long laterSeq = tracker.admit(later.eventId());
        long firstSeq = tracker.admit(Fixtures.recentChange("edit-basic").eventId());

        sendAdmitted("direct:index", Fixtures.event("edit-basic"), Fixtures.recentChange("edit-basic"), firstSeq);
        sendAdmitted("direct:index", laterRaw, later, laterSeq);

        assertThat(deadLetterLines()).singleElement().satisfies(letter -> {
            assertThat(letter.path("event_id").asText()).isEqualTo(later.eventId());
            assertThat(letter.path("raw").asText()).isEqualTo(laterRaw);
            assertThat(letter.path("stage").asText()).isEqualTo("index");
            assertThat(letter.path("reason").asText())
                    .startsWith("index: IllegalStateException: index writes must come in sequence order: seq 1 after 2");
        });
        assertThat(sink.buffered()).isEqualTo(1);
    }

    @Test
    void aRepeatedMetaIdIsSentAgainUnderItsNewSequenceNumberForOpenSearchToOverwrite() throws Exception {
        startIndexRoutes();
        for (int i = 0; i < BATCH; i++) {
            sendAdmitted("direct:index", Fixtures.event("edit-basic"), Fixtures.recentChange("edit-basic"));
        }

        assertThat(bulks).singleElement().asList().containsOnly(Fixtures.recentChange("edit-basic").eventId()).hasSize(BATCH);
        assertThat(tracker.uncommitted()).isZero();
    }
}
