package org.wikiedits.sink.firehose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.AggregationStrategies;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.component.seda.SedaComponent;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.junit.jupiter.api.Test;
import org.wikiedits.delivery.BatchDelivery;
import org.wikiedits.delivery.BatchDeliveryTest;
import org.wikiedits.testing.RouteFileTestSupport;
import org.wikiedits.transform.Fixtures;
import org.wikiedits.transform.RecentChange;
import org.wikiedits.transform.RecentChangeReader;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.Record;

/**
 * routes/aws/firehose-direct/publish.camel.yaml with the real beans of {@link FirehoseBeans}. The
 * {@code aws2-kinesis-firehose:<stream>?operation=sendBatchRecord} endpoints are mocked and skipped
 * (camel-test's mockEndpointsAndSkip) and answer what Firehose answers: a PutRecordBatchResponse
 * with one entry per record. The real service's wire format is tested against moto in FirehoseDirectIT.
 */
class FirehoseDirectPublishRouteTest extends RouteFileTestSupport {

    private static final String LAKE_MOCK = "mock:aws2-kinesis-firehose:wikiedits-lake";
    private static final String INDEX_MOCK = "mock:aws2-kinesis-firehose:wikiedits-index";

    @Override
    public void configureContext(CamelContextConfiguration configuration) {
        super.configureContext(configuration);
        configuration.withMockEndpointsAndSkip("aws2-kinesis-firehose:*");
    }

    @Override
    protected List<String> trackedSinks() {
        return FirehoseBeans.SINKS;
    }

    private void bindAndLoad(String lingerMillis) throws Exception {
        setProperties("wikiedits.firehose.lake-stream", "wikiedits-lake", "wikiedits.firehose.index-stream", "wikiedits-index",
                "wikiedits.aws.region", "us-east-1",
                // never reached (the endpoint is mocked), but if it were: a closed local port, not AWS
                "wikiedits.firehose.endpoint", "http://127.0.0.1:9",
                "wikiedits.firehose.linger-ms", lingerMillis, "wikiedits.firehose.retry-base-ms", "1",
                "wikiedits.firehose.retry-max-ms", "2");
        FirehoseBeans.bind(context, tracker, deadLetters);
        loadSourceRoutes();
        loadRouteFile("aws/firehose-direct/publish.camel.yaml");
    }

    /**
     * The queues become direct: endpoints, so each event and each tick is handled before the send
     * returns; a multicast gives each stream its own copy of the exchange, and leaves the original, as a queue does.
     */
    private void startSynchronously() throws Exception {
        bindAndLoad("250");
        startLoadedSynchronously();
    }

    private void startLoadedSynchronously() throws Exception {
        for (String stream : List.of("firehose-lake", "firehose-index")) {
            AdviceWith.adviceWith(context, "publish",
                    route -> route.weaveByToUri("seda:" + stream).replace().multicast(AggregationStrategies.useOriginal()).to("direct:" + stream));
            AdviceWith.adviceWith(context, "firehose-linger",
                    route -> route.weaveByToUri("seda:" + stream + "*").replace().multicast(AggregationStrategies.useOriginal()).to("direct:" + stream));
            AdviceWith.adviceWith(context, stream, route -> route.replaceFromWith("direct:" + stream));
        }
        AdviceWith.adviceWith(context, "firehose-linger", route -> route.replaceFromWith("direct:firehose-linger"));
        for (String mock : List.of(LAKE_MOCK, INDEX_MOCK)) {
            getMockEndpoint(mock).whenAnyExchangeReceived(exchange -> answer(exchange, Set.of()));
        }
        context.start();
    }

    /** Firehose's answer: the named payloads refused (ServiceUnavailableException), the others accepted. */
    private static void answer(Exchange exchange, Set<String> refused) {
        List<String> payloads = payloads(exchange);
        exchange.getMessage().setBody(BatchDeliveryTest.refuse(payloads, refused.toArray(String[]::new)));
    }

    private static List<String> payloads(Exchange exchange) {
        return ((List<?>) exchange.getMessage().getBody(List.class)).stream()
                .map(record -> ((Record) record).data().asString(StandardCharsets.UTF_8)).toList();
    }

    private void publish(String name) {
        sendAdmitted("direct:publish", Fixtures.event(name), Fixtures.recentChange(name));
    }

    private void tick() {
        template.sendBody("direct:firehose-linger", null);
    }

    private static List<List<String>> calls(MockEndpoint mock) {
        return mock.getExchanges().stream().map(FirehoseDirectPublishRouteTest::payloads).toList();
    }

    @Test
    void everyEventGoesToBothDeliveryStreamsAsItsOriginalBytesInOnePutRecordBatchOnceTheLingerTimeIsOver() throws Exception {
        startSynchronously();
        publish("edit-basic");
        publish("log-params-string");
        tick();
        assertThat(getMockEndpoint(LAKE_MOCK).getReceivedCounter()).as("not lingered yet").isZero();

        Thread.sleep(260);
        tick();

        List<String> both = List.of(Fixtures.event("edit-basic"), Fixtures.event("log-params-string"));
        assertThat(calls(getMockEndpoint(LAKE_MOCK))).containsExactly(both);
        assertThat(calls(getMockEndpoint(INDEX_MOCK))).containsExactly(both);
        assertThat(tracker.store().lastEventId()).contains(wikimediaSseId(2));
        assertThat(deadLetterLines()).isEmpty();
    }

    @Test
    void theCheckpointMovesOnlyOnceBothStreamsHaveAcknowledged() throws Exception {
        startSynchronously();
        getMockEndpoint(INDEX_MOCK).whenAnyExchangeReceived(exchange -> answer(exchange, Set.copyOf(payloads(exchange))));
        publish("edit-basic");
        Thread.sleep(260);

        Thread ticker = new Thread(this::tick); // the index stream keeps re-sending until it is accepted
        ticker.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> getMockEndpoint(INDEX_MOCK).getReceivedCounter() >= 3);
        assertThat(getMockEndpoint(LAKE_MOCK).getReceivedCounter()).isEqualTo(1);
        assertThat(tracker.store().lastEventId()).as("the index stream has not acknowledged").isEmpty();
        assertThat(delivery("firehose-indexDelivery").problem())
                .hasValueSatisfying(problem -> assertThat(problem).contains("1 of 1 records refused by Firehose stream wikiedits-index"));

        getMockEndpoint(INDEX_MOCK).whenAnyExchangeReceived(exchange -> answer(exchange, Set.of()));
        ticker.join(10_000);

        assertThat(tracker.store().lastEventId()).contains(wikimediaSseId(1));
        assertThat(delivery("firehose-indexDelivery").problem()).isEmpty();
    }

    @Test
    void aDeadLetterFromOneStreamRouteSettlesTheEventForThatStreamOnly() throws Exception {
        bindAndLoad("250");
        AdviceWith.adviceWith(context, "firehose-lake", route -> route.weaveByType(ChoiceDefinition.class).before()
                .throwException(new IllegalStateException("the lake stream refuses it")));
        startLoadedSynchronously();

        publish("edit-basic");

        assertThat(deadLetterLines()).singleElement()
                .satisfies(letter -> assertThat(letter.path("reason").asText()).contains("the lake stream refuses it"));
        assertThat(tracker.store().lastEventId()).as("the index stream has not acknowledged it").isEmpty();
        Thread.sleep(260);
        tick();
        assertThat(getMockEndpoint(INDEX_MOCK).getReceivedCounter()).isEqualTo(1);
        assertThat(tracker.store().lastEventId()).contains(wikimediaSseId(1));
    }

    @Test
    void onlyTheRefusedEntriesOfABatchAreSentAgain() throws Exception {
        startSynchronously();
        String refused = Fixtures.event("log-params-string");
        Set<String> refusedOnce = ConcurrentHashMap.newKeySet();
        getMockEndpoint(LAKE_MOCK).whenAnyExchangeReceived(exchange -> answer(exchange,
                payloads(exchange).contains(refused) && refusedOnce.add(refused) ? Set.of(refused) : Set.of()));
        publish("edit-basic");
        publish("log-params-string");
        publish("edit-unicode");
        Thread.sleep(260);

        tick();

        assertThat(calls(getMockEndpoint(LAKE_MOCK))).containsExactly(
                List.of(Fixtures.event("edit-basic"), refused, Fixtures.event("edit-unicode")), List.of(refused));
        assertThat(tracker.store().lastEventId()).contains(wikimediaSseId(3));
        BatchDelivery<?> lake = delivery("firehose-lakeDelivery");
        assertThat(lake.resentRecords()).isEqualTo(1);
        assertThat(lake.delivered()).isEqualTo(3);
    }

    @Test
    void anEventWithoutItsOriginalTextIsDeadLetteredByTheStreamRoutes() throws Exception {
        startSynchronously();

        template.sendBodyAndHeader("direct:publish", Fixtures.recentChange("edit-basic"),
                org.wikiedits.commit.Headers.SEQ, tracker.admit("7a4bd0e1-3f8c-4b52-9d1e-2c6f8a0b1e01"));

        assertThat(deadLetterLines()).hasSize(2).allSatisfy(letter ->
                assertThat(letter.path("reason").asText()).contains("IllegalArgumentException: a Firehose record needs"));
    }

    /**
     * The real queues and the real 100 ms linger timer (linger 1 ms): bursts of 1,200 events, so
     * batches are completed by size and by the ticks that fall into and after a burst, while the lake
     * stream is slow and refuses about one entry in sixty the first time: its batches are re-sent while
     * ticks and events queue up behind them (the index stream takes everything at once, so the
     * checkpoint follows the lake stream). All along, a watcher checks that the checkpoint is before
     * every event the lake stream has not yet had accepted: no batch, size or tick completed, was
     * acknowledged before an earlier one. (With two consumers on the queue, as an Aggregator's size
     * and timeout completions would be, this fails.)
     */
    @Test
    void batchesCompletedBySizeAndByTheLingerTickAreAcknowledgedInEventOrder() throws Exception {
        // as application.properties configures the queues: bounded, blocking the publisher when full
        SedaComponent seda = context.getComponent("seda", SedaComponent.class);
        seda.setQueueSize(10_000);
        seda.setDefaultBlockWhenFull(true);
        bindAndLoad("1");
        Map<String, Long> seqOf = new ConcurrentHashMap<>();
        NavigableSet<Long> notAcceptedByLake = new ConcurrentSkipListSet<>();
        List<String> violations = new CopyOnWriteArrayList<>();
        Map<String, List<List<String>>> firstSends = new ConcurrentHashMap<>();
        Set<String> refusedOnce = ConcurrentHashMap.newKeySet();
        for (String mock : List.of(LAKE_MOCK, INDEX_MOCK)) {
            List<List<String>> sends = new CopyOnWriteArrayList<>();
            firstSends.put(mock, sends);
            getMockEndpoint(mock).whenAnyExchangeReceived(exchange -> {
                List<String> payloads = payloads(exchange);
                if (payloads.stream().noneMatch(p -> refusedOnce.contains(mock + p))) {
                    sends.add(payloads);
                }
                Set<String> refuse = new HashSet<>();
                if (mock.equals(LAKE_MOCK)) {
                    boolean resend = payloads.stream().anyMatch(p -> refusedOnce.contains(mock + p));
                    // a call takes a while and a re-send longer, so ticks and events queue up behind them
                    Thread.sleep(resend ? 50 : 5);
                    for (String p : payloads) {
                        if (Math.floorMod(p.hashCode(), 60) == 0 && refusedOnce.add(mock + p)) {
                            refuse.add(p);
                        } else {
                            notAcceptedByLake.remove(seqOf.get(p));
                        }
                    }
                }
                answer(exchange, refuse);
            });
        }
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            while (watching.get()) {
                long checkpoint = checkpointSeq(); // first: the lowest unaccepted event only ever grows
                Long oldest = notAcceptedByLake.isEmpty() ? null : notAcceptedByLake.first();
                if (oldest != null && checkpoint >= oldest) {
                    violations.add("checkpoint at " + checkpoint + " while event " + oldest + " is not accepted by the lake stream");
                }
                try {
                    Thread.sleep(1); // an unaccepted lake batch stays so for at least one 5 ms call
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        context.start();
        watcher.start();

        int events = 0;
        for (int burst = 0; burst < 3; burst++) {
            // read the events before the burst, so that it comes fast enough to fill batches on a busy machine
            List<String> raws = new ArrayList<>();
            List<RecentChange> changes = new ArrayList<>();
            for (int i = 0; i < 1200; i++) {
                String raw = Fixtures.event("edit-basic").replace("\"id\":\"", "\"id\":\"race-" + (events + i + 1) + "-");
                raws.add(raw);
                changes.add(RecentChangeReader.read(raw));
            }
            for (int i = 0; i < raws.size(); i++) {
                events++;
                long seq = tracker.admit(wikimediaSseId(tracker.lastAdmitted() + 1));
                seqOf.put(raws.get(i), seq);
                notAcceptedByLake.add(seq);
                sendAdmitted("direct:publish", raws.get(i), changes.get(i), seq);
            }
            Thread.sleep(300);
        }
        long last = events;
        await().atMost(Duration.ofSeconds(30)).until(() -> checkpointSeq() == last);
        watching.set(false);
        watcher.join();

        assertThat(violations).isEmpty();
        assertThat(notAcceptedByLake).isEmpty();
        for (String mock : List.of(LAKE_MOCK, INDEX_MOCK)) {
            List<Integer> sizes = firstSends.get(mock).stream().map(List::size).toList();
            assertThat(sizes).as("batches completed by size, of %s", sizes).contains(500);
            assertThat(sizes).as("batches completed by the linger tick, of %s", sizes).anyMatch(size -> size < 500);
        }
        BatchDelivery<?> lake = delivery("firehose-lakeDelivery");
        assertThat(lake.delivered()).isEqualTo(events);
        assertThat(lake.resentRecords()).as("refused entries were re-sent").isPositive();
    }

    /** Route files copied from an earlier version name the beans firehoseLake..., firehoseIndex...: still bound, to the same beans. */
    @Test
    void theEarlierBeanNamesStayBoundToTheSameBeans() throws Exception {
        startSynchronously();
        for (String stream : List.of("Lake", "Index")) {
            for (String role : List.of("Batches", "Delivery")) {
                assertThat(context.getRegistry().lookupByName("firehose" + stream + role)).as("firehose%s%s", stream, role)
                        .isNotNull().isSameAs(context.getRegistry().lookupByName("firehose-" + stream.toLowerCase() + role));
            }
        }
    }

    private BatchDelivery<?> delivery(String name) {
        return context.getRegistry().lookupByNameAndType(name, BatchDelivery.class);
    }

    private long checkpointSeq() {
        return tracker.store().lastEventId()
                .map(id -> Long.parseLong(id.replaceAll(".*\"offset\":(\\d+).*", "$1")) - 5_000_000_000L).orElse(0L);
    }
}
