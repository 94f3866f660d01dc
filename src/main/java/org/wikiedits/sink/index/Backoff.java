package org.wikiedits.sink.index;

import java.time.Duration;

/**
 * Exponential backoff between attempts: {@code initial}, twice that, four times, ... capped at
 * {@code max}. One writer talks to one cluster, so there is no herd to spread with jitter.
 */
public record Backoff(Duration initial, Duration max) {

    /** 200 ms doubling to 30 s: quick after a blip, gentle on a cluster that is down for long. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30));

    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, not " + initial + " / " + max);
        }
    }

    /** The wait before retry number {@code attempt} (1 = the first retry). */
    public long delayMillis(int attempt) {
        int doublings = Math.max(0, Math.min(attempt - 1, 30));
        long delay = initial.toMillis() << doublings;
        return delay <= 0 || delay > max.toMillis() ? max.toMillis() : delay;
    }
}
