package org.wikiedits.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.wikiedits.config.BatchLimits.PUT_RECORDS;
import static org.wikiedits.config.BatchLimits.PUT_RECORD_BATCH;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wikiedits.sink.firehose.FirehoseRecord;
import org.wikiedits.sink.kinesis.KinesisRecord;

/** The one batcher, at the Firehose PutRecordBatch and the Kinesis PutRecords limits. */
class RecordBatcherTest {

    @Test
    void aBatchIsCompleteAt500RecordsInTheirOrder() {
        RecordBatcher<FirehoseRecord> batcher = new RecordBatcher<>(PUT_RECORD_BATCH, 1000);
        List<List<FirehoseRecord>> ready = new ArrayList<>();
        for (int i = 1; i <= 1001; i++) {
            ready.addAll(batcher.add(record(i, 100), 0));
        }

        assertThat(ready).hasSize(2);
        assertThat(ready.get(0)).extracting(FirehoseRecord::seq).containsExactlyElementsOf(range(1, 500));
        assertThat(ready.get(1)).extracting(FirehoseRecord::seq).containsExactlyElementsOf(range(501, 1000));
        assertThat(batcher.pendingRecords()).isEqualTo(1);
    }

    @Test
    void aRecordThatWouldPassFourMebibytesStartsTheNextBatch() {
        RecordBatcher<FirehoseRecord> batcher = new RecordBatcher<>(PUT_RECORD_BATCH, 1000);
        int size = 1000 * 1024; // the largest record Firehose takes
        List<List<FirehoseRecord>> ready = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ready.addAll(batcher.add(record(i, size), 0));
        }

        // 4 records of 1,000 KiB are 4,096,000 bytes <= 4 MiB; the 5th would pass it
        assertThat(ready).hasSize(1);
        assertThat(ready.get(0)).extracting(FirehoseRecord::seq).containsExactly(1L, 2L, 3L, 4L);
        assertThat(ready.get(0).stream().mapToLong(FirehoseRecord::size).sum()).isLessThanOrEqualTo(PUT_RECORD_BATCH.maxRequestBytes());
        assertThat(batcher.pendingRecords()).isEqualTo(1);
    }

    @Test
    void aBatchThatReachesItsByteLimitExactlyIsCompleteAtOnce() {
        RecordBatcher<FirehoseRecord> batcher = new RecordBatcher<>(PUT_RECORD_BATCH, 10, 300, 1000);

        assertThat(batcher.add(record(1, 100), 0)).isEmpty();
        assertThat(batcher.add(record(2, 100), 0)).isEmpty();
        List<List<FirehoseRecord>> ready = batcher.add(record(3, 100), 0);

        assertThat(ready).hasSize(1);
        assertThat(ready.get(0)).hasSize(3);
    }

    @Test
    void aPartialBatchIsDueOnlyOnceItsOldestRecordHasLingered() {
        RecordBatcher<FirehoseRecord> batcher = new RecordBatcher<>(PUT_RECORD_BATCH, 500);
        assertThat(batcher.lingered(10_000)).isFalse();
        batcher.add(record(1, 10), 1_000);
        batcher.add(record(2, 10), 1_400);

        assertThat(batcher.lingered(1_499)).isFalse();
        assertThat(batcher.lingered(1_500)).isTrue();
        assertThat(batcher.drain()).extracting(FirehoseRecord::seq).containsExactly(1L, 2L);
        assertThat(batcher.lingered(5_000)).isFalse();
    }

    @Test
    void aRecordLargerThanFirehoseTakesIsRefused() {
        FirehoseRecord tooLarge = record(1, 1000 * 1024 + 1);

        assertThat(PUT_RECORD_BATCH.fits(tooLarge.size())).isFalse();
        assertThatThrownBy(() -> new RecordBatcher<FirehoseRecord>(PUT_RECORD_BATCH, 500).add(tooLarge, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void limitsBeyondThePutRecordBatchLimitsAreRejected() {
        assertThatThrownBy(() -> new RecordBatcher<FirehoseRecord>(PUT_RECORD_BATCH, 501, 1024, 0)).hasMessageContaining("1 to 500 records");
        assertThatThrownBy(() -> new RecordBatcher<FirehoseRecord>(PUT_RECORD_BATCH, 500, PUT_RECORD_BATCH.maxRequestBytes() + 1, 0))
                .hasMessageContaining("at most 4194304 bytes");
    }

    @Test
    void aKinesisBatchIsCompleteWhenItHoldsTheMaximumNumberOfRecords() {
        RecordBatcher<KinesisRecord> batcher = new RecordBatcher<>(PUT_RECORDS, 3, PUT_RECORDS.maxRequestBytes(), 250);
        assertThat(batcher.add(kinesisRecord(1, 10), 0)).isEmpty();
        assertThat(batcher.add(kinesisRecord(2, 10), 0)).isEmpty();
        List<List<KinesisRecord>> ready = batcher.add(kinesisRecord(3, 10), 0);
        assertThat(ready).hasSize(1);
        assertThat(ready.get(0)).extracting(KinesisRecord::seq).containsExactly(1L, 2L, 3L);
        assertThat(batcher.pendingRecords()).isZero();
    }

    @Test
    void aKinesisRecordThatWouldPassTheByteLimitStartsTheNextBatch() {
        long limit = PUT_RECORDS.maxRecordBytes() * 2;
        RecordBatcher<KinesisRecord> batcher = new RecordBatcher<>(PUT_RECORDS, 500, limit, 250);
        int big = (int) (PUT_RECORDS.maxRecordBytes() - 100);
        assertThat(batcher.add(kinesisRecord(1, big), 0)).isEmpty();
        assertThat(batcher.add(kinesisRecord(2, big), 0)).isEmpty();
        List<List<KinesisRecord>> ready = batcher.add(kinesisRecord(3, big), 0);
        assertThat(ready).hasSize(1);
        assertThat(ready.get(0)).extracting(KinesisRecord::seq).containsExactly(1L, 2L);
        assertThat(ready.get(0).stream().mapToLong(KinesisRecord::size).sum()).isLessThanOrEqualTo(limit);
        assertThat(batcher.drain()).extracting(KinesisRecord::seq).containsExactly(3L);
    }

    @Test
    void manySmallRecordsNeverMakeARequestLargerThanFiveMebibytes() {
        RecordBatcher<KinesisRecord> batcher = new RecordBatcher<>(PUT_RECORDS, 500, PUT_RECORDS.maxRequestBytes(), 250);
        List<List<KinesisRecord>> batches = new ArrayList<>();
        for (long seq = 1; seq <= 2000; seq++) {
            batches.addAll(batcher.add(kinesisRecord(seq, 15_000), 0));
        }
        batches.add(batcher.drain());
        assertThat(batches).allSatisfy(batch -> {
            assertThat(batch.size()).isLessThanOrEqualTo(PUT_RECORDS.maxRecords());
            assertThat(batch.stream().mapToLong(KinesisRecord::size).sum()).isLessThanOrEqualTo(PUT_RECORDS.maxRequestBytes());
        });
        assertThat(batches.stream().flatMap(List::stream).map(KinesisRecord::seq).toList())
                .as("every record once, in order").isEqualTo(java.util.stream.LongStream.rangeClosed(1, 2000).boxed().toList());
    }

    @Test
    void pendingKinesisRecordsAreDueWhenTheOldestHasWaitedTheLingerTime() {
        RecordBatcher<KinesisRecord> batcher = new RecordBatcher<>(PUT_RECORDS, 500, PUT_RECORDS.maxRequestBytes(), 250);
        assertThat(batcher.lingered(1_000)).as("nothing pending").isFalse();
        batcher.add(kinesisRecord(1, 10), 1_000);
        batcher.add(kinesisRecord(2, 10), 1_200);
        assertThat(batcher.lingered(1_249)).isFalse();
        assertThat(batcher.lingered(1_250)).isTrue();
        batcher.drain();
        batcher.add(kinesisRecord(3, 10), 1_300);
        assertThat(batcher.lingered(1_500)).as("the clock restarts with the next batch").isFalse();
    }

    @Test
    void aRecordLargerThanKinesisAllowsIsRefused() {
        KinesisRecord huge = kinesisRecord(1, (int) PUT_RECORDS.maxRecordBytes());
        assertThat(PUT_RECORDS.fits(huge.size())).isFalse();
        RecordBatcher<KinesisRecord> batcher = new RecordBatcher<>(PUT_RECORDS, 500, PUT_RECORDS.maxRequestBytes(), 250);
        assertThatThrownBy(() -> batcher.add(huge, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    static FirehoseRecord record(long seq, int size) {
        return new FirehoseRecord(new byte[size], seq, "id-" + seq);
    }

    private static KinesisRecord kinesisRecord(long seq, int dataBytes) {
        return new KinesisRecord(new byte[dataBytes], KinesisRecord.partitionKeyOf("id-" + seq), seq);
    }

    private static List<Long> range(long from, long to) {
        List<Long> values = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            values.add(i);
        }
        return values;
    }
}
