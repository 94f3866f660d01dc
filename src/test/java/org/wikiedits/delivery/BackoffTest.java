package org.wikiedits.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link Backoff}: the delays of the sending routes between attempts. */
class BackoffTest {

    @Test
    void theDelayDoublesWithEachRetryUpToTheMaximumWithEqualJitter() {
        Backoff backoff = new Backoff(100, 1000);
        long[] ceilings = {100, 200, 400, 800, 1000, 1000};
        for (int i = 0; i < ceilings.length; i++) {
            for (int draw = 0; draw < 50; draw++) {
                // equal jitter: between half and all of the ceiling
                assertThat(backoff.millisBefore(i + 1)).as("before retry %d", i + 1).isBetween(ceilings[i] / 2, ceilings[i]);
            }
        }
    }

    @Test
    void aRetryFarBeyondTheDoublingsStaysAtTheMaximum() {
        assertThat(new Backoff(200, 30_000).millisBefore(10_000)).isBetween(15_000L, 30_000L);
    }

    @Test
    void aDelayBelowOneMillisecondIsRefused() {
        assertThatThrownBy(() -> new Backoff(0, 1000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be positive");
    }
}
