package org.wikiedits.commit;

import java.time.Clock;

/**
 * How many dead letters were written in the last minute, counted in one-second buckets (bounded
 * memory, however fast they come), and the latest one's stage and reason: what {@code /health} needs to
 * call a sudden run of dead letters a burst and say what it is about.
 */
final class RecentDeadLetters {

    private static final int SECONDS = 60;

    private final Clock clock;
    private final long[] counts = new long[SECONDS];
    /** The epoch second each bucket counts. */
    private final long[] seconds = new long[SECONDS];
    private String latest;

    RecentDeadLetters(Clock clock) {
        this.clock = clock;
    }

    synchronized void written(String stage, String reason) {
        long now = clock.millis() / 1000;
        int bucket = (int) (now % SECONDS);
        if (seconds[bucket] != now) {
            seconds[bucket] = now;
            counts[bucket] = 0;
        }
        counts[bucket]++;
        latest = stage + ": " + reason;
    }

    /** Dead letters written in the last 60 seconds (this one included). */
    synchronized long inLastMinute() {
        long now = clock.millis() / 1000;
        long total = 0;
        for (int i = 0; i < SECONDS; i++) {
            if (now - seconds[i] < SECONDS) {
                total += counts[i];
            }
        }
        return total;
    }

    /** The latest dead letter's stage and reason, or null before the first. */
    synchronized String latest() {
        return latest;
    }
}
