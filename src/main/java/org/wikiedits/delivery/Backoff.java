package org.wikiedits.delivery;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * The one backoff of the app, exponential with "equal jitter": before retry n (1, 2, ...) wait between
 * half and all of {@code baseMillis * 2^(n-1)}, capped at {@code maxMillis}, so that many clients cut off
 * together do not come back together. The delivery's delay between attempts (index, Kinesis, Firehose,
 * replay) and the SSE source's reconnect delay ({@link #from}: its base is the server's {@code retry:}).
 */
public final class Backoff {

    private final long baseMillis;
    private final long maxMillis;
    /** Null: the calling thread's {@link ThreadLocalRandom}. */
    private final RandomGenerator random;

    public Backoff(long baseMillis, long maxMillis) {
        this(baseMillis, maxMillis, null);
    }

    /** A backoff up to {@code max} drawing its jitter from {@code random} (the base comes later: {@link #from}). */
    public Backoff(Duration max, RandomGenerator random) {
        this(1, max.toMillis(), random);
    }

    private Backoff(long baseMillis, long maxMillis, RandomGenerator random) {
        if (baseMillis < 1) {
            throw new IllegalArgumentException("the retry delay must be positive, not " + baseMillis);
        }
        this.baseMillis = baseMillis;
        this.maxMillis = Math.max(baseMillis, maxMillis);
        this.random = random;
    }

    /** The same backoff growing from {@code base} (at least 1 ms), with the same maximum and jitter. */
    public Backoff from(Duration base) {
        return new Backoff(Math.max(1, base.toMillis()), maxMillis, random);
    }

    /** The wait before retry {@code retry} (at least 1), in milliseconds. */
    public long millisBefore(int retry) {
        long delay = baseMillis;
        for (int i = 1; i < retry && delay < maxMillis; i++) {
            delay *= 2;
        }
        delay = Math.min(delay, maxMillis);
        RandomGenerator draw = random == null ? ThreadLocalRandom.current() : random;
        return delay - delay / 2 + draw.nextLong(delay / 2 + 1); // never 0: at least half, rounded up
    }

    /** {@link #millisBefore} as a duration: the wait after {@code failures} consecutive failures. */
    public Duration afterFailures(int failures) {
        return Duration.ofMillis(millisBefore(failures));
    }

    @Override
    public String toString() {
        return "backoff " + baseMillis + " ms doubling to " + maxMillis + " ms";
    }
}
