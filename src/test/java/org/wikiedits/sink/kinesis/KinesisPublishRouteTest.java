package org.wikiedits.sink.kinesis;

import org.wikiedits.commit.CommitTracker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.seda.SedaComponent;
import org.junit.jupiter.api.Test;
import org.wikiedits.commit.Headers;
import org.wikiedits.config.AwsSettings;
import org.wikiedits.delivery.BatchDelivery;
import org.wikiedits.delivery.EventBatches;
import org.wikiedits.testing.RouteFileTestSupport;
import org.wikiedits.transform.Fixtures;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * routes/aws/kinesis/publish.camel.yaml with the real beans (batches of 2 here, linger 250 ms): the
 * queue seda:kinesis and the linger timer become direct: endpoints, so every step has happened when
 * a send returns. The route's send step is the real {@link PutRecordsCall} on a KinesisClient whose
 * putRecords answers like Kinesis (the SDK client against kinesalite is tested in ProducerIT).
 */
class KinesisPublishRouteTest extends RouteFileTestSupport {

    private final List<PutRecordsRequest> requests = new CopyOnWriteArrayList<>();
    /** The data of the entries to refuse on their first call. */
    private final Set<String> refuseOnce = new CopyOnWriteArraySet<>();

    @Override
    protected List<String> trackedSinks() {
        return List.of(KinesisBeans.SINK);
    }

    /** Kinesis as the SDK client sees it: every entry accepted, except the ones to refuse once. */
    private final KinesisClient kinesis = new KinesisClient() {
        @Override
        public PutRecordsResponse putRecords(PutRecordsRequest request) {
            requests.add(request);
            List<PutRecordsResultEntry> results = new ArrayList<>();
            int failed = 0;
            for (PutRecordsRequestEntry entry : request.records()) {
                if (refuseOnce.remove(entry.data().asUtf8String())) {
                    failed++;
                    results.add(PutRecordsResultEntry.builder().errorCode("ProvisionedThroughputExceededException")
                            .errorMessage("Rate exceeded for shard shardId-000000000000").build());
                } else {
                    results.add(PutRecordsResultEntry.builder().shardId("shardId-000000000000").sequenceNumber("1").build());
                }
            }
            return PutRecordsResponse.builder().failedRecordCount(failed).records(results).build();
        }

        @Override
        public String serviceName() {
            return "kinesis";
        }

        @Override
        public void close() {
        }
    };

    private void bindAndLoad(String lingerMillis) throws Exception {
        AwsSettings settings = AwsSettings.from(key -> switch (key) {
            case "wikiedits.aws.delivery" -> "firehose";
            case "wikiedits.kinesis.stream" -> "wikiedits";
            case "wikiedits.kinesis.batch-records" -> "2";
            case "wikiedits.kinesis.batch-bytes" -> "5242880";
            case "wikiedits.kinesis.linger-ms" -> lingerMillis;
            case "wikiedits.kinesis.retry-base-ms", "wikiedits.kinesis.retry-max-ms" -> "1";
            default -> "";
        });
        KinesisBeans.bind(context, settings, kinesis, tracker, deadLetters);
        loadSourceRoutes();
        loadRouteFile("aws/kinesis/publish.camel.yaml");
    }

    private void startPublishRoutes() throws Exception {
        bindAndLoad("250");
        AdviceWith.adviceWith(context, "publish", route -> route.weaveByToUri("seda:kinesis").replace().to("direct:kinesis"));
        AdviceWith.adviceWith(context, "kinesis", route -> route.replaceFromWith("direct:kinesis"));
        AdviceWith.adviceWith(context, "kinesis-linger", route -> {
            route.replaceFromWith("direct:kinesis-linger");
            route.weaveByToUri("seda:kinesis*").replace().to("direct:kinesis");
        });
        context.start();
    }

    private void publish(String name) {
        sendAdmitted("direct:publish", Fixtures.event(name), Fixtures.recentChange(name));
    }

    private static List<String> data(PutRecordsRequest request) {
        return request.records().stream().map(entry -> entry.data().asUtf8String()).toList();
    }

    @Test
    void eventsGoToKinesisAsTheirOriginalBytesKeyedByTheMd5OfMetaIdAndThenTheCheckpointMoves() throws Exception {
        startPublishRoutes();

        publish("edit-basic");
        assertThat(requests).as("the batch is not full yet").isEmpty();
        publish("edit-unicode");

        assertThat(requests).singleElement().satisfies(request -> {
            assertThat(request.streamName()).isEqualTo("wikiedits");
            assertThat(data(request)).containsExactly(Fixtures.event("edit-basic"), Fixtures.event("edit-unicode"));
            assertThat(request.records().get(0).partitionKey()).isEqualTo(md5Hex("7a4bd0e1-3f8c-4b52-9d1e-2c6f8a0b1e01"));
        });
        assertThat(tracker.uncommitted()).isZero();
        assertThat(tracker.store().lastEventId()).contains(wikimediaSseId(2));
    }

    @Test
    void theLingerTickSendsAPartialBatchOnceItHasWaitedTheLingerTime() throws Exception {
        startPublishRoutes();
        publish("edit-basic");

        template.sendBody("direct:kinesis-linger", null);
        assertThat(requests).isEmpty();
        Thread.sleep(260);
        template.sendBody("direct:kinesis-linger", null);

        assertThat(requests).singleElement().satisfies(request -> assertThat(request.records()).hasSize(1));
        assertThat(tracker.store().lastEventId()).contains(wikimediaSseId(1));
    }

    @Test
    void onlyTheEntriesKinesisRefusedAreSentAgainBeforeTheCheckpointMoves() throws Exception {
        startPublishRoutes();
        refuseOnce.add(Fixtures.event("edit-unicode"));

        publish("edit-basic");
        publish("edit-unicode");

        assertThat(requests).extracting(KinesisPublishRouteTest::data).containsExactly(
                List.of(Fixtures.event("edit-basic"), Fixtures.event("edit-unicode")), List.of(Fixtures.event("edit-unicode")));
        assertThat(tracker.store().lastEventId()).contains(wikimediaSseId(2));
        BatchDelivery<?> delivery = (BatchDelivery<?>) context.getRegistry().lookupByName("kinesisDelivery");
        assertThat(delivery.resentRecords()).isEqualTo(1);
        assertThat(delivery.problem()).isEmpty();
    }

    @Test
    void anEventTooLargeForKinesisIsADeadLetterAndDoesNotHoldTheCheckpointBack() throws Exception {
        startPublishRoutes();
        String huge = Fixtures.event("edit-basic").replace("\"comment\":\"", "\"comment\":\"" + "x".repeat(1024 * 1024));

        sendAdmitted("direct:publish", huge, Fixtures.recentChange("edit-basic"));

        assertThat(requests).isEmpty();
        assertThat(tracker.store().lastEventId()).contains(wikimediaSseId(1));
        assertThat(deadLetterLines()).singleElement()
                .satisfies(letter -> assertThat(letter.path("reason").asText()).contains("larger than a Kinesis record"));
    }

    @Test
    void anEventWithoutItsOriginalTextIsDeadLetteredByThePublishRoute() throws Exception {
        startPublishRoutes();

        template.sendBodyAndHeader("direct:publish", Fixtures.recentChange("edit-basic"),
                Headers.SEQ, tracker.admit("7a4bd0e1-3f8c-4b52-9d1e-2c6f8a0b1e01"));

        assertThat(requests).isEmpty();
        assertThat(deadLetterLines()).singleElement().satisfies(letter -> {
            assertThat(letter.path("event_id").asText()).isEqualTo("7a4bd0e1-3f8c-4b52-9d1e-2c6f8a0b1e01");
            assertThat(letter.path("reason").asText()).contains("IllegalArgumentException: a Kinesis record needs");
        });
    }

    @Test
    void stoppingCamelSendsThePendingRecordsThroughTheRouteBeforeItsQueueStops() throws Exception {
        SedaComponent seda = context.getComponent("seda", SedaComponent.class);
        seda.setDefaultBlockWhenFull(true);
        bindAndLoad("600000"); // the real queue and timer, and a linger time that never passes in this test
        context.start();
        publish("edit-basic");
        await().atMost(Duration.ofSeconds(10)).until(() -> context.getRegistry()
                .lookupByNameAndType("kinesisBatches", EventBatches.class).pendingRecords() == 1);
        assertThat(requests).isEmpty();

        context.stop();

        assertThat(requests).singleElement().satisfies(request -> assertThat(data(request)).containsExactly(Fixtures.event("edit-basic")));
        assertThat(tracker.store().lastEventId()).contains(wikimediaSseId(1));
    }

    /** Written out here rather than calling KinesisRecord.partitionKeyOf, so the test checks it. */
    private static String md5Hex(String text) throws Exception {
        byte[] digest = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
        StringBuilder hex = new StringBuilder();
        for (byte b : digest) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }
}
