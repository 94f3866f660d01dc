package org.wikiedits.delivery;

import org.wikiedits.commit.DeadLetterStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.commit.Headers;
import org.wikiedits.config.BatchLimits;
import org.wikiedits.sink.firehose.FirehoseRecord;

/** {@link EventBatches}: which batches each event and each flush tick hand out, in which order. */
class EventBatchesTest {

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(1_000);
    private final AtomicBoolean stopping = new AtomicBoolean();

    /** Batches of at most 3 records, linger 250 ms. */
    private EventBatches<FirehoseRecord> batches() {
        return new EventBatches<>("firehose-lake", new RecordBatcher<>(BatchLimits.PUT_RECORD_BATCH, 3,
                BatchLimits.PUT_RECORD_BATCH.maxRequestBytes(), 250),
                (raw, eventId, seq) -> new FirehoseRecord(raw.getBytes(StandardCharsets.UTF_8), seq, eventId),
                new DeadLetterStore(dir.resolve("dead-letter")), now::get, stopping::get);
    }

    private static List<List<Long>> seqs(List<Batch<FirehoseRecord>> batches) {
        return batches.stream().map(b -> b.records().stream().map(FirehoseRecord::seq).toList()).toList();
    }

    @Test
    void aFullBatchIsHandedOutByTheEventThatFillsItAndSettlesExactlyItsRecords() {
        EventBatches<FirehoseRecord> batches = batches();

        assertThat(batches.addEvent("e1", "id-1", 1, true)).isEmpty();
        assertThat(batches.addEvent("e2", "id-2", 2, true)).isEmpty();
        List<Batch<FirehoseRecord>> ready = batches.addEvent("e3", "id-3", 3, true);

        assertThat(seqs(ready)).containsExactly(List.of(1L, 2L, 3L));
        assertThat(ready.get(0).seqs()).hasToString("[1..3]");
        assertThat(batches.pendingRecords()).isZero();
    }

    @Test
    void aDueTickHandsOutThePendingRecordsOnlyOnceTheOldestHasWaitedTheLingerTime() {
        EventBatches<FirehoseRecord> batches = batches();
        batches.addEvent("e1", "id-1", 1, true);

        now.addAndGet(249);
        assertThat(batches.flush(Headers.FLUSH_DUE)).isEmpty();
        now.addAndGet(1);
        assertThat(seqs(batches.flush(Headers.FLUSH_DUE))).containsExactly(List.of(1L));
        assertThat(batches.flush(Headers.FLUSH_DUE)).as("nothing pending any more").isEmpty();
    }

    @Test
    void theFinalTickAndTheLastQueuedEventWhileCamelStopsHandOutWhatIsPendingAtOnce() {
        EventBatches<FirehoseRecord> batches = batches();
        batches.addEvent("e1", "id-1", 1, true);

        assertThat(seqs(batches.flush(Headers.FLUSH_ALL))).containsExactly(List.of(1L));
        stopping.set(true);
        assertThat(batches.addEvent("e2", "id-2", 2, false)).as("more events queued behind it").isEmpty();
        assertThat(seqs(batches.addEvent("e3", "id-3", 3, true))).containsExactly(List.of(2L, 3L));
    }

    @Test
    void anEventTooLargeForARecordIsADeadLetterAcknowledgedWithThePendingBatchOrAtOnce() throws Exception {
        EventBatches<FirehoseRecord> batches = batches();
        String huge = "{\"comment\":\"" + "x".repeat(1000 * 1024) + "\"}";

        List<Batch<FirehoseRecord>> alone = batches.addEvent(huge, "big-1", 1, true);
        assertThat(alone).singleElement().satisfies(batch -> {
            assertThat(batch.records()).isEmpty();
            assertThat(batch.seqs()).hasToString("[1]");
        });

        batches.addEvent("e2", "id-2", 2, true);
        assertThat(batches.addEvent(huge, "big-3", 3, true)).as("waits for the pending record").isEmpty();
        now.addAndGet(250);
        assertThat(batches.flush(Headers.FLUSH_DUE)).singleElement().satisfies(batch -> {
            assertThat(batch.records()).extracting(FirehoseRecord::seq).containsExactly(2L);
            assertThat(batch.seqs()).as("with the dead-lettered event after it").hasToString("[2..3]");
        });
        try (Stream<Path> files = Files.list(dir.resolve("dead-letter"))) {
            String letters = Files.readString(files.findFirst().orElseThrow(), StandardCharsets.UTF_8);
            assertThat(letters.lines()).hasSize(2)
                    .allSatisfy(line -> assertThat(line).contains("larger than a Firehose record"));
        }
    }

    @Test
    void theSameSeqAgainIsIgnoredAndALowerOneRefused() {
        EventBatches<FirehoseRecord> batches = batches();
        batches.addEvent("e5", "id-5", 5, true);

        assertThat(batches.addEvent("e5", "id-5", 5, true)).as("a redelivered exchange").isEmpty();
        assertThat(batches.pendingRecords()).isEqualTo(1);
        assertThatThrownBy(() -> batches.addEvent("e4", "id-4", 4, true)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("firehose-lake writes must come in sequence order: seq 4 after 5");
    }

    @Test
    void aLingerTimerOnItsOwnThreadSeesWhenThePendingRecordsHaveWaitedTheLingerTime() {
        EventBatches<FirehoseRecord> batches = batches();
        assertThat(batches.lingered()).as("nothing pending").isFalse();
        batches.addEvent("e1", "id-1", 1, true);

        now.addAndGet(249);
        assertThat(batches.lingered()).isFalse();
        now.addAndGet(1);
        assertThat(batches.lingered()).isTrue();
        batches.flush(Headers.FLUSH_DUE);
        assertThat(batches.lingered()).as("handed out").isFalse();
    }
}
