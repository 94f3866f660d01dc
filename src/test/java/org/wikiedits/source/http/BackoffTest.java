package org.wikiedits.source.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Duration BASE = Duration.ofMillis(1000);
    private final Backoff backoff = new Backoff(Duration.ofSeconds(60), RandomGenerator.of("L64X128MixRandom"));

    @Test
    void theDelayDoublesWithEachFailureBetweenHalfAndAllOfTheStep() {
        for (int failures = 1; failures <= 6; failures++) {
            long step = 1000L << (failures - 1);
            for (int i = 0; i < 50; i++) {
                assertThat(backoff.afterFailures(failures, BASE).toMillis()).as("failure %d", failures).isBetween(step / 2, step);
            }
        }
    }

    @Test
    void theDelayNeverExceedsTheMaximumHoweverManyFailures() {
        for (int failures = 7; failures < 200; failures += 13) {
            assertThat(backoff.afterFailures(failures, BASE).toMillis()).isBetween(30_000L, 60_000L);
        }
        assertThat(backoff.afterFailures(Integer.MAX_VALUE, BASE)).isLessThanOrEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        Instant now = Instant.parse("2026-08-04T15:24:29Z");
        assertThat(Backoff.parseRetryAfter("120", now)).hasValue(Duration.ofSeconds(120));
        assertThat(Backoff.parseRetryAfter(" 0 ", now)).hasValue(Duration.ZERO);
        assertThat(Backoff.parseRetryAfter("Tue, 04 Aug 2026 15:24:59 GMT", now)).hasValue(Duration.ofSeconds(30));
        assertThat(Backoff.parseRetryAfter("Tue, 04 Aug 2026 15:00:00 GMT", now)).hasValue(Duration.ZERO);
        assertThat(Backoff.parseRetryAfter("soon", now)).isEmpty();
        assertThat(Backoff.parseRetryAfter("", now)).isEmpty();
        assertThat(Backoff.parseRetryAfter(null, now)).isEmpty();
    }
}
