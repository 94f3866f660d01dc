package org.wikiedits.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Test;
import org.wikiedits.checkpoint.CommitTracker;
import org.wikiedits.testing.RouteFileTestSupport;
import org.wikiedits.transform.Fixtures;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * routes/aws/kinesis/publish.camel.yaml: {@code direct:publish} -> kinesisProducer.publish, and the
 * linger timer (replaced by {@code direct:kinesis-linger}) -> kinesisProducer.flushIfDue. The producer is
 * the real {@link KinesisProducerSink} (batches of 2 here); only its PutRecords call is a recording stand-in
 * (the SDK client against kinesalite is tested in ProducerIT).
 */
class KinesisPublishRouteTest extends RouteFileTestSupport {

    private final AtomicLong now = new AtomicLong(1_000);
    private final List<PutRecordsRequest> requests = new ArrayList<>();

    @Override
    protected List<String> trackedSinks() {
        return List.of(KinesisProducerSink.SINK);
    }

    @Override
    protected void bindToRegistry(Registry registry) throws Exception {
        super.bindToRegistry(registry);
        SinkProblem problem = new SinkProblem();
        BatchRetry<KinesisRecord> retry = new BatchRetry<>(BatchLimits.PUT_RECORDS, "wikiedits",
                PutRecordsCall.to("wikiedits", this::acceptAll), 1, 1, millis -> { }, attempt -> false, problem);
        registry.bind("kinesisProducer", new KinesisProducerSink(
                new RecordBatcher<>(BatchLimits.PUT_RECORDS, 2, BatchLimits.PUT_RECORDS.maxRequestBytes(), 250),
                retry, problem, tracker, deadLetters, now::get));
    }

    private PutRecordsResponse acceptAll(PutRecordsRequest request) {
        requests.add(request);
        return PutRecordsResponse.builder().failedRecordCount(0).records(request.records().stream()
                .map(e -> PutRecordsResultEntry.builder().shardId("shardId-000000000000").sequenceNumber("1").build()).toList())
                .build();
    }

    private void startPublishRoutes() throws Exception {
        loadSourceRoutes();
        loadRouteFile("aws/kinesis/publish.camel.yaml");
        AdviceWith.adviceWith(context, "kinesis-linger", route -> route.replaceFromWith("direct:kinesis-linger"));
        context.start();
    }

    private void publish(String name) {
        sendAdmitted("direct:publish", Fixtures.event(name), Fixtures.recentChange(name));
    }

    @Test
    void eventsGoToKinesisAsTheirOriginalBytesKeyedByTheMd5OfMetaIdAndThenTheCheckpointMoves() throws Exception {
        startPublishRoutes();

        publish("edit-basic");
        assertThat(requests).as("the batch is not full yet").isEmpty();
        publish("edit-unicode");

        assertThat(requests).singleElement().satisfies(request -> {
            assertThat(request.streamName()).isEqualTo("wikiedits");
            assertThat(request.records()).extracting(PutRecordsRequestEntry::data)
                    .extracting(data -> data.asUtf8String())
                    .containsExactly(Fixtures.event("edit-basic"), Fixtures.event("edit-unicode"));
            assertThat(request.records().get(0).partitionKey()).isEqualTo(md5Hex("7a4bd0e1-3f8c-4b52-9d1e-2c6f8a0b1e01"));
        });
        assertThat(tracker.uncommitted()).isZero();
        assertThat(tracker.store().lastEventId()).contains(wikimediaSseId(2));
    }

    @Test
    void theLingerStepSendsAPartialBatchOnceItHasWaitedTheLingerTime() throws Exception {
        startPublishRoutes();
        publish("edit-basic");

        now.addAndGet(249);
        template.sendBody("direct:kinesis-linger", null);
        assertThat(requests).isEmpty();
        now.addAndGet(1);
        template.sendBody("direct:kinesis-linger", null);

        assertThat(requests).singleElement().satisfies(request -> assertThat(request.records()).hasSize(1));
        assertThat(tracker.store().lastEventId()).contains(wikimediaSseId(1));
    }

    @Test
    void anEventWithoutItsOriginalTextIsDeadLetteredByThePublishRoute() throws Exception {
        startPublishRoutes();

        template.sendBodyAndHeader("direct:publish", Fixtures.recentChange("edit-basic"),
                CommitTracker.SEQ_HEADER, tracker.admit("7a4bd0e1-3f8c-4b52-9d1e-2c6f8a0b1e01"));

        assertThat(requests).isEmpty();
        assertThat(deadLetterLines()).singleElement().satisfies(letter -> {
            assertThat(letter.path("event_id").asText()).isEqualTo("7a4bd0e1-3f8c-4b52-9d1e-2c6f8a0b1e01");
            assertThat(letter.path("reason").asText()).startsWith("publish: IllegalArgumentException: a Kinesis record needs");
        });
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
