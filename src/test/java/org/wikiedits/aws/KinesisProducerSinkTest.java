package org.wikiedits.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.checkpoint.CheckpointStore;
import org.wikiedits.checkpoint.CommitTracker;
import org.wikiedits.deadletter.DeadLetterStore;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

class KinesisProducerSinkTest {

    @TempDir
    Path data;

    private final AtomicLong now = new AtomicLong(1_000);
    private final List<PutRecordsRequest> requests = new ArrayList<>();
    private CheckpointStore checkpoints;
    private CommitTracker tracker;
    private DeadLetterStore deadLetters;
    private KinesisProducerSink sink;

    @BeforeEach
    void setUp() {
        checkpoints = new CheckpointStore(data.resolve("state"), "test-source");
        tracker = new CommitTracker(checkpoints, List.of(KinesisProducerSink.SINK));
        deadLetters = new DeadLetterStore(data.resolve("dead-letter"));
        SinkProblem problem = new SinkProblem();
        BatchRetry<KinesisRecord> retry = new BatchRetry<>(BatchLimits.PUT_RECORDS, "wikiedits",
                PutRecordsCall.to("wikiedits", this::acceptAll), 1, 1, millis -> { }, attempt -> false, problem);
        sink = new KinesisProducerSink(new RecordBatcher<>(BatchLimits.PUT_RECORDS, 3, BatchLimits.PUT_RECORDS.maxRequestBytes(), 250),
                retry, problem, tracker, deadLetters, now::get);
    }

    private PutRecordsResponse acceptAll(PutRecordsRequest request) {
        requests.add(request);
        return PutRecordsResponse.builder().failedRecordCount(0).records(request.records().stream()
                .map(e -> PutRecordsResultEntry.builder().shardId("shardId-000000000000").sequenceNumber("1").build()).toList())
                .build();
    }

    private void publish(String eventId) throws InterruptedException {
        sink.publish("{\"meta\":{\"id\":\"" + eventId + "\"}}", eventId, tracker.admit("sse-" + eventId));
    }

    @Test
    void theCheckpointMovesOnlyWhenKinesisHasAcknowledgedTheBatch() throws InterruptedException {
        publish("a");
        publish("b");
        assertThat(requests).isEmpty();
        assertThat(checkpoints.lastEventId()).as("nothing acknowledged yet").isEmpty();

        publish("c");

        assertThat(requests).hasSize(1);
        assertThat(checkpoints.lastEventId()).contains("sse-c");
        assertThat(sink.delivered()).isEqualTo(3);
    }

    @Test
    void aLingeringPartialBatchIsSentByTheTimerAndThenCheckpointed() throws InterruptedException {
        publish("a");
        now.addAndGet(249);
        sink.flushIfDue();
        assertThat(requests).isEmpty();

        now.addAndGet(1);
        sink.flushIfDue();

        assertThat(requests).hasSize(1);
        assertThat(checkpoints.lastEventId()).contains("sse-a");
    }

    @Test
    void eachRecordIsTheOriginalTextKeyedByTheHashOfItsId() throws InterruptedException {
        String raw = "{\"meta\":{\"id\":\"x\"},\"title\":\"Zürich — ☃\"}";
        sink.publish(raw, "x", tracker.admit("1"));
        now.addAndGet(1_000);
        sink.flushIfDue();

        assertThat(requests.get(0).records()).singleElement().satisfies(entry -> {
            assertThat(entry.data().asByteArray()).isEqualTo(raw.getBytes(StandardCharsets.UTF_8));
            assertThat(entry.partitionKey()).isEqualTo(KinesisRecord.partitionKeyOf("x"));
        });
    }

    @Test
    void anEventTooLargeForKinesisIsADeadLetterAndDoesNotHoldTheCheckpointBack() throws Exception {
        String huge = "{\"meta\":{\"id\":\"big\"},\"comment\":\"" + "x".repeat(1024 * 1024) + "\"}";
        sink.publish(huge, "big", tracker.admit("sse-big"));

        assertThat(requests).isEmpty();
        assertThat(checkpoints.lastEventId()).contains("sse-big");
        try (var files = Files.list(data.resolve("dead-letter"))) {
            assertThat(Files.readString(files.findFirst().orElseThrow())).contains("larger than a Kinesis record");
        }
    }

    @Test
    void stoppingSendsWhatIsPending() throws Exception {
        sink.start();
        publish("a");
        sink.stop();
        assertThat(requests).hasSize(1);
        assertThat(checkpoints.lastEventId()).contains("sse-a");
    }
}
