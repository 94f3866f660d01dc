package org.wikiedits.sink.index;

import org.wikiedits.commit.FlushOnStop;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.util.RawValue;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
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
import org.wikiedits.commit.Headers;
import org.wikiedits.testing.CapturedLog;
import org.wikiedits.testing.MutableClock;
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
    /** The error type of an id's refusals (default: as OpenSearch answers 429, 5xx and 400 when overloaded, short of shards, or refusing the mapping). */
    private final Map<String, String> errorTypes = new HashMap<>();
    /** Bulks to fail as a whole (as when the cluster is unreachable) before answering. */
    private final AtomicInteger unreachableFor = new AtomicInteger();
    /** The clock of the ten-minute rule, moved on by {@link #minutesPerBulk} at each bulk. */
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T06:00:00Z"));
    private volatile int minutesPerBulk;

    @Override
    protected List<String> trackedSinks() {
        return List.of(IndexSink.SINK);
    }

    @Override
    protected void bindToRegistry(Registry registry) throws Exception {
        super.bindToRegistry(registry);
        sink = TestIndexSinks.standIn(context, tracker, deadLetters, BATCH, Duration.ofMillis(50), clock);
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
        clock.advance(Duration.ofMinutes(minutesPerBulk));
        if (unreachableFor.getAndDecrement() > 0) {
            throw new ConnectException("Connection refused");
        }
        List<BulkResponseItem> items = new ArrayList<>();
        for (IndexOperation<RawValue> operation : operations) {
            List<Integer> statuses = script.getOrDefault(operation.id(), new ArrayList<>());
            int status = statuses.isEmpty() ? 201 : statuses.remove(0);
            String type = errorTypes.getOrDefault(operation.id(), status == 429 ? "es_rejected_execution_exception"
                    : status >= 500 ? "unavailable_shards_exception" : "mapper_parsing_exception");
            items.add(BulkOutcomeTest.item(operation.id(), status, status == 201 ? null : BulkOutcomeTest.error(type,
                    type.equals("mapper_parsing_exception") ? "failed to parse field [namespace]" : "refused", null)));
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

        template.sendBodyAndHeader("direct:index", null, Headers.FLUSH, Headers.FLUSH_DUE);
        assertThat(bulks).isEmpty();
        Thread.sleep(60);
        assertThat(sink.tickDue()).isTrue();
        assertThat(sink.tickDue()).as("one tick at a time in the queue").isFalse();
        template.sendBodyAndHeader("direct:index", null, Headers.FLUSH, Headers.FLUSH_DUE);

        assertThat(bulks).singleElement().asList().hasSize(2);
        assertThat(tracker.uncommitted()).isZero();
        assertThat(sink.buffered()).isZero();
    }

    @Test
    void theLastTickWhenCamelStopsSendsThePendingDocumentsWithoutWaitingForTheLingerTime() throws Exception {
        startIndexRoutes();
        sendAdmitted("direct:index", Fixtures.event("edit-basic"), Fixtures.recentChange("edit-basic"));
        sendAdmitted("direct:index", Fixtures.event("new-page"), Fixtures.recentChange("new-page"));

        template.sendBodyAndHeader("direct:index", null, Headers.FLUSH, Headers.FLUSH_ALL);

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
    void documentsRefusedBecauseTheIndexIsClosedAreHeldAndSentAgainUntilItOpensNotDeadLettered() throws Exception {
        startIndexRoutes();
        List<String> names = Fixtures.eventNames().subList(0, BATCH);
        List<String> ids = names.stream().map(name -> Fixtures.recentChange(name).eventId()).toList();
        for (String id : ids) {
            script.put(id, new ArrayList<>(List.of(400, 400, 400))); // as OpenSearch answers each item while the index is closed
            errorTypes.put(id, "index_closed_exception");
        }

        for (String name : names) {
            sendAdmitted("direct:index", Fixtures.event(name), Fixtures.recentChange(name));
        }

        assertThat(deadLetterLines()).isEmpty();
        assertThat(bulks).containsExactly(ids, ids, ids, ids);
        assertThat(tracker.uncommitted()).isZero();
        assertThat(sink.problem()).isEmpty();
    }

    @Test
    void aDocumentRefusedWithAnUnknownTypeWhileTheRestOfItsBulkIsTakenIsDeadLetteredAfterTenMinutesAsUnclassified()
            throws Exception {
        startIndexRoutes();
        List<String> names = Fixtures.eventNames().subList(0, BATCH);
        List<String> ids = names.stream().map(name -> Fixtures.recentChange(name).eventId()).toList();
        script.put(ids.get(2), new ArrayList<>(List.of(400, 400, 400, 400, 400, 400)));
        errorTypes.put(ids.get(2), "brand_new_exception");
        minutesPerBulk = 4;

        for (String name : names) {
            sendAdmitted("direct:index", Fixtures.event(name), Fixtures.recentChange(name));
        }

        // refused at minute 4 (its clock starts), 8, 12, 16: ten minutes of the same refusal after the fourth answer
        assertThat(bulks).containsExactly(ids, List.of(ids.get(2)), List.of(ids.get(2)), List.of(ids.get(2)));
        assertThat(deadLetterLines()).singleElement().satisfies(letter -> {
            assertThat(letter.path("event_id").asText()).isEqualTo(ids.get(2));
            assertThat(letter.path("raw").asText()).isEqualTo(Fixtures.event(names.get(2)));
            assertThat(letter.path("reason").asText()).isEqualTo("unclassified: brand_new_exception: refused");
        });
        assertThat(tracker.uncommitted()).isZero();
    }

    @Test
    void aWholeBulkRefusedWithAnUnknownTypeIsHeldPastTenMinutesAndReportedToHealth() throws Exception {
        startIndexRoutes();
        List<String> names = Fixtures.eventNames().subList(0, BATCH);
        List<String> ids = names.stream().map(name -> Fixtures.recentChange(name).eventId()).toList();
        for (String id : ids) {
            script.put(id, new ArrayList<>(List.of(400, 400, 400, 400, 400, 400)));
            errorTypes.put(id, "brand_new_exception");
        }
        minutesPerBulk = 4;
        List<String> problems = new CopyOnWriteArrayList<>();
        Thread watcher = new Thread(() -> {
            while (bulks.size() < 7) {
                sink.problem().ifPresent(problems::add);
                Thread.onSpinWait();
            }
        });
        watcher.start();

        for (String name : names) {
            sendAdmitted("direct:index", Fixtures.event(name), Fixtures.recentChange(name));
        }
        watcher.join(5000);

        assertThat(bulks).hasSize(7).allSatisfy(bulk -> assertThat(bulk).isEqualTo(ids));
        assertThat(deadLetterLines()).as("held for 24 minutes of the clock, then taken").isEmpty();
        assertThat(problems).isNotEmpty().allSatisfy(problem -> assertThat(problem)
                .startsWith("4 of 4 documents held (HTTP 400 brand_new_exception: refused; an error type the app does not classify:"
                        + " held, but a document singled out by it for 10 minutes goes to the dead letters)"));
        assertThat(tracker.uncommitted()).isZero();
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
