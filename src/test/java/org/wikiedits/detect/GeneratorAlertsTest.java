package org.wikiedits.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wikiedits.source.generator.SyntheticEvents;
import org.wikiedits.transform.RecentChange;
import org.wikiedits.transform.RecentChangeReader;

/**
 * The alerts per hour docs/detectors.md gives for the generator ({@code wikiedits.source.url=generator:}) at
 * its default, live-like rate of 50 events a second, with the default settings: two hours of its events.
 */
class GeneratorAlertsTest {

    static final int RATE = 50;

    @Test
    void theGeneratorAtTheLiveRateRaisesAlertsOnlyWhileTheBaselineIsLearnt() throws Exception {
        Detectors detectors = new Detectors(DetectorsTest.defaults());
        Instant start = Instant.parse("2026-12-01T00:00:00Z");
        List<Alert> alerts = new ArrayList<>();
        for (long n = 0; n < 2L * 3600 * RATE; n++) {
            RecentChange rc = RecentChangeReader.read(SyntheticEvents.event(n, start.plusMillis(n * 1000 / RATE)));
            if (!rc.isCanary()) {
                alerts.addAll(detectors.observe(rc));
            }
        }

        Instant learnt = start.plus(Duration.ofMinutes(10));
        assertThat(alerts).as("after the first window").noneMatch(alert -> Instant.parse(alert.time()).isAfter(learnt));
        assertThat(alerts).as("in the first window, with no baseline yet").hasSize(GENERATOR_FIRST_WINDOW_ALERTS);
    }

    /**
     * What docs/detectors.md reports: 60 page surges, 60 revert bursts, 13 new-page floods, 7 bot storms, all
     * within the first 8.5 minutes (the generator spreads 50 events a second over a small set of pages, bots
     * and wikis, so with no baseline yet many reach the floors); none in the 111 minutes after.
     */
    static final int GENERATOR_FIRST_WINDOW_ALERTS = 140;
}
