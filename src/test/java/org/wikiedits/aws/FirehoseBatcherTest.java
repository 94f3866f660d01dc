package org.wikiedits.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FirehoseBatcherTest {

    @Test
    void aBatchIsCompleteAt500RecordsInTheirOrder() {
        FirehoseBatcher batcher = new FirehoseBatcher(1000);
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
        FirehoseBatcher batcher = new FirehoseBatcher(1000);
        int size = 1000 * 1024; // the largest record Firehose takes
        List<List<FirehoseRecord>> ready = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ready.addAll(batcher.add(record(i, size), 0));
        }

        // 4 records of 1,000 KiB are 4,096,000 bytes <= 4 MiB; the 5th would pass it
        assertThat(ready).hasSize(1);
        assertThat(ready.get(0)).extracting(FirehoseRecord::seq).containsExactly(1L, 2L, 3L, 4L);
        assertThat(ready.get(0).stream().mapToLong(FirehoseRecord::size).sum()).isLessThanOrEqualTo(FirehoseBatcher.MAX_REQUEST_BYTES);
        assertThat(batcher.pendingRecords()).isEqualTo(1);
    }

    @Test
    void aBatchThatReachesItsByteLimitExactlyIsCompleteAtOnce() {
        FirehoseBatcher batcher = new FirehoseBatcher(10, 300, 1000);

        assertThat(batcher.add(record(1, 100), 0)).isEmpty();
        assertThat(batcher.add(record(2, 100), 0)).isEmpty();
        List<List<FirehoseRecord>> ready = batcher.add(record(3, 100), 0);

        assertThat(ready).hasSize(1);
        assertThat(ready.get(0)).hasSize(3);
    }

    @Test
    void aPartialBatchIsDueOnlyOnceItsOldestRecordHasLingered() {
        FirehoseBatcher batcher = new FirehoseBatcher(500);
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

        assertThat(FirehoseBatcher.fits(tooLarge)).isFalse();
        assertThatThrownBy(() -> new FirehoseBatcher(500).add(tooLarge, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void limitsBeyondThePutRecordBatchLimitsAreRejected() {
        assertThatThrownBy(() -> new FirehoseBatcher(501, 1024, 0)).hasMessageContaining("1 to 500 records");
        assertThatThrownBy(() -> new FirehoseBatcher(500, FirehoseBatcher.MAX_REQUEST_BYTES + 1, 0))
                .hasMessageContaining("at most 4194304 bytes");
    }

    static FirehoseRecord record(long seq, int size) {
        return new FirehoseRecord(new byte[size], seq, "id-" + seq);
    }

    private static List<Long> range(long from, long to) {
        List<Long> values = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            values.add(i);
        }
        return values;
    }
}
