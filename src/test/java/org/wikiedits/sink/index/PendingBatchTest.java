package org.wikiedits.sink.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PendingBatchTest {

    private final AtomicLong clock = new AtomicLong(1_000);
    private final PendingBatch pending = new PendingBatch(3, Duration.ofNanos(500), clock::get);

    @Test
    void aBatchIsHandedOutWhenItHoldsBatchSizeDocumentsAndCoversUpToItsLastSeq() {
        assertThat(pending.add(document(1))).isNull();
        assertThat(pending.add(document(2))).isNull();
        BulkBatch batch = pending.add(document(3));

        assertThat(batch.documents()).extracting(IndexDocument::seq).containsExactly(1L, 2L, 3L);
        assertThat(batch.lastSeq()).isEqualTo(3);
        assertThat(batch.unsent()).isEqualTo(batch.documents());
        assertThat(pending.size()).isZero();
    }

    @Test
    void aPartialBatchIsHandedOutOnlyOnceItsOldestDocumentHasWaitedTheLingerTime() {
        pending.add(document(1));
        clock.addAndGet(300);
        pending.add(document(2));

        assertThat(pending.lingered()).isFalse();
        assertThat(pending.cutIfLingered()).isNull();
        clock.addAndGet(200);
        assertThat(pending.lingered()).isTrue();
        assertThat(pending.cutIfLingered().documents()).extracting(IndexDocument::seq).containsExactly(1L, 2L);
        assertThat(pending.lingered()).isFalse();
        assertThat(pending.cutIfLingered()).isNull();
    }

    @Test
    void theSameSeqAgainIsIgnoredAndALowerOneRefused() {
        pending.add(document(5));

        assertThat(pending.add(document(5))).isNull();
        assertThat(pending.size()).isEqualTo(1);
        assertThatThrownBy(() -> pending.add(document(4))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("index writes must come in sequence order: seq 4 after 5");
    }

    @Test
    void aBatchWhoseRouteFailedGoesOutAgainInFrontOfTheNextOne() {
        pending.add(document(1));
        pending.add(document(2));
        BulkBatch first = pending.add(document(3));
        first.remaining(first.documents().subList(1, 3));
        pending.add(document(4));
        pending.add(document(5));

        BulkBatch both = first.followedBy(pending.add(document(6)));

        assertThat(both.unsent()).extracting(IndexDocument::seq).containsExactly(2L, 3L, 4L, 5L, 6L);
        assertThat(both.lastSeq()).isEqualTo(6);
    }

    private static IndexDocument document(long seq) {
        return new IndexDocument("id-" + seq, "{\"n\":" + seq + "}", null, seq, null);
    }
}
