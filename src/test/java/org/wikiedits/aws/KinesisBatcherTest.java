package org.wikiedits.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KinesisBatcherTest {

    private static KinesisRecord record(long seq, int dataBytes) {
        return new KinesisRecord(new byte[dataBytes], KinesisRecord.partitionKeyOf("id-" + seq), seq);
    }

    @Test
    void aBatchIsCompleteWhenItHoldsTheMaximumNumberOfRecords() {
        KinesisBatcher batcher = new KinesisBatcher(3, KinesisBatcher.MAX_REQUEST_BYTES, 250);
        assertThat(batcher.add(record(1, 10), 0)).isEmpty();
        assertThat(batcher.add(record(2, 10), 0)).isEmpty();
        List<List<KinesisRecord>> ready = batcher.add(record(3, 10), 0);
        assertThat(ready).hasSize(1);
        assertThat(ready.get(0)).extracting(KinesisRecord::seq).containsExactly(1L, 2L, 3L);
        assertThat(batcher.pendingRecords()).isZero();
    }

    @Test
    void aRecordThatWouldPassTheByteLimitStartsTheNextBatch() {
        long limit = KinesisBatcher.MAX_RECORD_BYTES * 2;
        KinesisBatcher batcher = new KinesisBatcher(500, limit, 250);
        int big = (int) (KinesisBatcher.MAX_RECORD_BYTES - 100);
        assertThat(batcher.add(record(1, big), 0)).isEmpty();
        assertThat(batcher.add(record(2, big), 0)).isEmpty();
        List<List<KinesisRecord>> ready = batcher.add(record(3, big), 0);
        assertThat(ready).hasSize(1);
        assertThat(ready.get(0)).extracting(KinesisRecord::seq).containsExactly(1L, 2L);
        assertThat(ready.get(0).stream().mapToLong(KinesisRecord::size).sum()).isLessThanOrEqualTo(limit);
        assertThat(batcher.drain()).extracting(KinesisRecord::seq).containsExactly(3L);
    }

    @Test
    void manySmallRecordsNeverMakeARequestLargerThanFiveMebibytes() {
        KinesisBatcher batcher = new KinesisBatcher(500, KinesisBatcher.MAX_REQUEST_BYTES, 250);
        List<List<KinesisRecord>> batches = new ArrayList<>();
        for (long seq = 1; seq <= 2000; seq++) {
            batches.addAll(batcher.add(record(seq, 15_000), 0));
        }
        batches.add(batcher.drain());
        assertThat(batches).allSatisfy(batch -> {
            assertThat(batch.size()).isLessThanOrEqualTo(KinesisBatcher.MAX_RECORDS);
            assertThat(batch.stream().mapToLong(KinesisRecord::size).sum()).isLessThanOrEqualTo(KinesisBatcher.MAX_REQUEST_BYTES);
        });
        assertThat(batches.stream().flatMap(List::stream).map(KinesisRecord::seq).toList())
                .as("every record once, in order").isEqualTo(java.util.stream.LongStream.rangeClosed(1, 2000).boxed().toList());
    }

    @Test
    void pendingRecordsAreDueWhenTheOldestHasWaitedTheLingerTime() {
        KinesisBatcher batcher = new KinesisBatcher(500, KinesisBatcher.MAX_REQUEST_BYTES, 250);
        assertThat(batcher.lingered(1_000)).as("nothing pending").isFalse();
        batcher.add(record(1, 10), 1_000);
        batcher.add(record(2, 10), 1_200);
        assertThat(batcher.lingered(1_249)).isFalse();
        assertThat(batcher.lingered(1_250)).isTrue();
        batcher.drain();
        batcher.add(record(3, 10), 1_300);
        assertThat(batcher.lingered(1_500)).as("the clock restarts with the next batch").isFalse();
    }

    @Test
    void aRecordLargerThanKinesisAllowsIsRefused() {
        KinesisRecord huge = record(1, (int) KinesisBatcher.MAX_RECORD_BYTES);
        assertThat(KinesisBatcher.fits(huge)).isFalse();
        KinesisBatcher batcher = new KinesisBatcher(500, KinesisBatcher.MAX_REQUEST_BYTES, 250);
        assertThatThrownBy(() -> batcher.add(huge, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void partitionKeysAreTheHexMd5OfTheEventId() {
        assertThat(KinesisRecord.partitionKeyOf("abc")).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
        assertThat(KinesisRecord.partitionKeyOf("7a4f3c1e-0000-4000-8000-000000000001"))
                .hasSize(32).isNotEqualTo(KinesisRecord.partitionKeyOf("7a4f3c1e-0000-4000-8000-000000000002"));
    }
}
