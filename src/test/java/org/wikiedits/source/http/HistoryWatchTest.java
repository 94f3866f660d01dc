package org.wikiedits.source.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wikiedits.source.HistoryGap;
import org.wikiedits.testing.CapturedLog;

class HistoryWatchTest {

    private static final Instant NOW = Instant.parse("2026-12-07T06:00:00Z");
    private final CapturedLog log = new CapturedLog(SseHttpStream.class);

    @AfterEach
    void closeLog() {
        log.close();
    }

    private static HistoryWatch watchFrom(Instant position) {
        return new HistoryWatch("http://127.0.0.1:1/s", Optional.ofNullable(position), "the checkpoint");
    }

    @Test
    void aPositionOlderThanTheStreamKeepsIsWarnedOnceAndKeptAsAGap() {
        Instant eightDaysAgo = NOW.minus(Duration.ofDays(8));
        HistoryWatch watch = watchFrom(eightDaysAgo);
        watch.beforeConnect(NOW);
        watch.beforeConnect(NOW.plusSeconds(5)); // a retry from the same position: no second line

        HistoryGap gap = watch.gap().orElseThrow();
        assertThat(gap.from()).isEqualTo(eightDaysAgo);
        assertThat(gap.to()).isEqualTo(NOW.minus(Duration.ofDays(7)));
        assertThat(gap.length()).isEqualTo(Duration.ofDays(1));
        assertThat(gap.what()).contains("7 days").contains("probably lost");
        assertThat(log.messages(Level.WARN)).singleElement().asString()
                .contains("events between " + eightDaysAgo + " and " + NOW.minus(Duration.ofDays(7)) + " are probably lost")
                .contains("move the checkpoint");
    }

    @Test
    void aPositionTheStreamStillKeepsIsNoGap() {
        HistoryWatch watch = watchFrom(NOW.minus(Duration.ofDays(6)));
        watch.beforeConnect(NOW);
        watch.delivered(NOW.minus(Duration.ofDays(6)).plusMillis(300), NOW);
        assertThat(watch.gap()).isEmpty();
        assertThat(log.messages(Level.WARN)).isEmpty();
    }

    @Test
    void aFirstEventMuchLaterThanThePositionIsALostGap() {
        Instant position = NOW.minus(Duration.ofHours(3));
        HistoryWatch watch = watchFrom(position);
        watch.beforeConnect(NOW);
        watch.delivered((Instant) null, NOW); // an unreadable event has no time: the next one is checked
        watch.delivered(NOW.minusSeconds(2), NOW);

        HistoryGap gap = watch.gap().orElseThrow();
        assertThat(gap.from()).isEqualTo(position);
        assertThat(gap.to()).isEqualTo(NOW.minusSeconds(2));
        assertThat(gap.what()).contains("lost");
        assertThat(log.messages(Level.WARN)).singleElement().asString().contains("of history are missing");
    }

    @Test
    void anEventsTimeIsReadOnlyForTheFirstEventAndOnceBeforeEachReconnect() {
        HistoryWatch watch = watchFrom(NOW.minus(Duration.ofHours(1)));
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        watch.beforeConnect(NOW);
        for (int i = 0; i < 1000; i++) {
            Instant time = NOW.minus(Duration.ofHours(1)).plusSeconds(i);
            watch.delivered(() -> {
                reads.incrementAndGet();
                return time;
            }, NOW);
        }
        assertThat(reads).as("times read while streaming (each is a JSON parse on the source thread)").hasValue(1);
        watch.beforeConnect(NOW.plus(Duration.ofDays(8)));
        assertThat(reads).as("the last event's time, read before the reconnect").hasValue(2);
        assertThat(watch.gap()).as("the position is the last event read").hasValueSatisfying(gap ->
                assertThat(gap.from()).isEqualTo(NOW.minus(Duration.ofHours(1)).plusSeconds(999)));
    }

    @Test
    void onlyTheFirstEventOfTheStreamIsCompared() {
        HistoryWatch watch = watchFrom(NOW.minus(Duration.ofHours(1)));
        watch.beforeConnect(NOW);
        watch.delivered(NOW.minus(Duration.ofHours(1)).plusSeconds(1), NOW);
        watch.delivered(NOW.minusSeconds(1), NOW); // a quiet hour inside one connection is no gap
        watch.beforeConnect(NOW);
        watch.delivered(NOW.plusSeconds(3600), NOW.plusSeconds(3600)); // nor after a reconnect: a small stream can be quiet
        assertThat(watch.gap()).isEmpty();
    }

    @Test
    void aReconnectAfterTheStreamWasAwayLongerThanItKeepsIsWarnedFromTheNewestEventRead() {
        HistoryWatch watch = watchFrom(null);
        watch.beforeConnect(NOW);
        watch.delivered(NOW, NOW);
        watch.delivered(NOW.minusSeconds(200), NOW); // a replayed, older event does not move the position back
        watch.beforeConnect(NOW.plus(Duration.ofDays(6)));
        assertThat(watch.gap()).isEmpty();
        watch.beforeConnect(NOW.plus(Duration.ofDays(8)));
        assertThat(watch.gap()).hasValueSatisfying(gap -> {
            assertThat(gap.from()).isEqualTo(NOW);
            assertThat(gap.what()).contains("probably lost");
        });
    }
}
