package org.wikiedits.commit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeqRunsTest {

    @Test
    void numbersInAnyOrderJoinIntoRunsAndRepeatsChangeNothing() {
        SeqRuns seqs = SeqRuns.of(5, 3, 4, 9, 1, 4, 8);

        assertThat(seqs).hasToString("[1, 3..5, 8..9]");
        assertThat(seqs.contains(4)).isTrue();
        assertThat(seqs.contains(2)).isFalse();
        assertThat(seqs.max()).isEqualTo(9);
    }

    @Test
    void addAllJoinsOverlappingAndTouchingRuns() {
        SeqRuns seqs = SeqRuns.of(1, 2, 3, 10, 11);
        SeqRuns more = SeqRuns.of(3, 4, 5, 6, 7, 8, 9, 20);

        seqs.addAll(more);

        assertThat(seqs).hasToString("[1..11, 20]");
    }

    @Test
    void theWatermarkMovesOnlyOverNumbersWithoutAGapAndForgetsThem() {
        SeqRuns seqs = SeqRuns.of(2, 3, 5);

        assertThat(seqs.advance(0)).as("1 is missing").isZero();
        assertThat(seqs.advance(1)).isEqualTo(3);
        assertThat(seqs).hasToString("[5]");
        assertThat(SeqRuns.of(1, 2).advance(7)).as("numbers below the watermark are dropped").isEqualTo(7);
    }
}
