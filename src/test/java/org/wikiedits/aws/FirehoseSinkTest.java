package org.wikiedits.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.aws.BatchRetryPutRecordBatchTest.FakeFirehose;
import org.wikiedits.checkpoint.CheckpointStore;
import org.wikiedits.checkpoint.CommitTracker;
import org.wikiedits.deadletter.DeadLetterStore;

/** Two Firehose sinks on one commit tracker, with PutRecordBatch replaced by scripted answers ({@link FakeFirehose}). */
class FirehoseSinkTest {

    @TempDir
    Path dir;

    private final FakeFirehose lakeStream = new FakeFirehose();
    private final FakeFirehose indexStream = new FakeFirehose();
    private final AtomicLong now = new AtomicLong();
    private CheckpointStore checkpoints;
    private CommitTracker tracker;
    private FirehoseSink lake;
    private FirehoseSink index;

    @BeforeEach
    void twoSinksOnOneTracker() {
        checkpoints = new CheckpointStore(dir.resolve("state"), "test");
        tracker = new CommitTracker(checkpoints, FirehoseBeans.SINKS);
        DeadLetterStore deadLetters = new DeadLetterStore(dir.resolve("dead-letter"));
        lake = sink(FirehoseBeans.LAKE_SINK, lakeStream, deadLetters);
        index = sink(FirehoseBeans.INDEX_SINK, indexStream, deadLetters);
    }

    @Test
    void theCheckpointMovesOnlyWhenBothStreamsHaveAcknowledged() throws Exception {
        publish(3);
        assertThat(checkpoints.lastEventId()).isEmpty();

        now.addAndGet(1000);
        lake.flushIfDue();
        assertThat(lakeStream.calls).containsExactly(List.of("e1", "e2", "e3"));
        assertThat(checkpoints.lastEventId()).as("the index stream has not acknowledged yet").isEmpty();

        index.flushIfDue();
        assertThat(checkpoints.lastEventId()).contains("sse-3");
        assertThat(lake.delivered()).isEqualTo(3);
        assertThat(index.delivered()).isEqualTo(3);
    }

    @Test
    void aBatchWithRefusedEntriesIsAcknowledgedOnlyAfterTheirResend() throws Exception {
        indexStream.answers.add(payloads -> BatchRetryPutRecordBatchTest.refuse(payloads, "e2"));
        AtomicReference<String> checkpointWhileRetrying = new AtomicReference<>("unset");
        indexStream.answers.add(payloads -> {
            checkpointWhileRetrying.set(checkpoints.lastEventId().orElse("none"));
            return BatchRetryPutRecordBatchTest.acceptAll(payloads);
        });
        publish(3);
        now.addAndGet(1000);
        lake.flushIfDue();

        index.flushIfDue();

        assertThat(indexStream.calls).containsExactly(List.of("e1", "e2", "e3"), List.of("e2"));
        assertThat(checkpointWhileRetrying.get()).isEqualTo("none");
        assertThat(checkpoints.lastEventId()).contains("sse-3");
        assertThat(index.resentRecords()).isEqualTo(1);
        assertThat(index.problem()).isEmpty();
    }

    @Test
    void anEventTooLargeForFirehoseIsDeadLetteredAndCountsAsHandled() throws Exception {
        long seq = tracker.admit("sse-1");
        String huge = "{\"comment\":\"" + "x".repeat(1000 * 1024) + "\"}";

        lake.publish(huge, "meta-1", seq);
        index.publish(huge, "meta-1", seq);

        assertThat(lakeStream.calls).isEmpty();
        assertThat(checkpoints.lastEventId()).contains("sse-1");
        try (Stream<Path> files = Files.list(dir.resolve("dead-letter"))) {
            String letters = Files.readString(files.findFirst().orElseThrow(), StandardCharsets.UTF_8);
            assertThat(letters.lines()).hasSize(2)
                    .allSatisfy(line -> assertThat(line).contains("larger than a Firehose record").contains("meta-1"));
        }
    }

    @Test
    void prepareShutdownSendsWhatIsPending() throws Exception {
        publish(2);

        lake.prepareShutdown(false, false);
        index.prepareShutdown(true, false);

        assertThat(lakeStream.calls).containsExactly(List.of("e1", "e2"));
        assertThat(indexStream.calls).as("a suspend is not a shutdown").isEmpty();
        assertThat(index.pendingRecords()).isEqualTo(2);
    }

    private void publish(int count) throws InterruptedException {
        for (int i = 1; i <= count; i++) {
            long seq = tracker.admit("sse-" + i);
            lake.publish("e" + i, "meta-" + i, seq);
            index.publish("e" + i, "meta-" + i, seq);
        }
    }

    private FirehoseSink sink(String name, FakeFirehose stream, DeadLetterStore deadLetters) {
        SinkProblem problem = new SinkProblem();
        BatchRetry<FirehoseRecord> retry = new BatchRetry<>(BatchLimits.PUT_RECORD_BATCH, name, PutRecordBatchCall.to(stream), 1, 1,
                millis -> { }, attempt -> false, problem);
        return new FirehoseSink(name, name, new RecordBatcher<>(BatchLimits.PUT_RECORD_BATCH, 500), retry, problem, tracker,
                deadLetters, now::get);
    }
}
