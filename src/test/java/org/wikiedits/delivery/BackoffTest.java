package org.wikiedits.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** {@link Backoff}: the one backoff, of the deliveries between attempts and of the SSE source between reconnects. */
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

    /** The SSE source: its base is the server's reconnect time ({@code retry:}), its maximum a setting. */
    private final Backoff reconnect = new Backoff(Duration.ofSeconds(60), RandomGenerator.of("L64X128MixRandom"));

    @Test
    void theReconnectDelayDoublesWithEachFailureFromTheServersBaseBetweenHalfAndAllOfTheStep() {
        Backoff fromServer = reconnect.from(Duration.ofMillis(1000));
        for (int failures = 1; failures <= 6; failures++) {
            long step = 1000L << (failures - 1);
            for (int i = 0; i < 50; i++) {
                assertThat(fromServer.afterFailures(failures).toMillis()).as("failure %d", failures).isBetween(step / 2, step);
            }
        }
    }

    @Test
    void theReconnectDelayNeverExceedsTheMaximumHoweverManyFailuresAndIsNeverZero() {
        Backoff fromServer = reconnect.from(Duration.ofMillis(1000));
        for (int failures = 7; failures < 200; failures += 13) {
            assertThat(fromServer.afterFailures(failures).toMillis()).isBetween(30_000L, 60_000L);
        }
        assertThat(fromServer.afterFailures(Integer.MAX_VALUE)).isLessThanOrEqualTo(Duration.ofSeconds(60));
        assertThat(reconnect.from(Duration.ZERO).afterFailures(1)).as("a base of 0 counts as 1 ms").isEqualTo(Duration.ofMillis(1));
    }
}
