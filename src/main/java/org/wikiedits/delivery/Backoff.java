package org.wikiedits.delivery;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter": before retry n (1, 2, ...) wait between half and all of
 * {@code baseMillis * 2^(n-1)}, capped at {@code maxMillis}. The sending routes' delay between attempts
 * (Kinesis, Firehose, the index); the SSE source has its own, which also honours {@code Retry-After}.
 */
public record Backoff(long baseMillis, long maxMillis) {

    public Backoff {
        if (baseMillis < 1) {
            throw new IllegalArgumentException("the retry delay must be positive, not " + baseMillis);
        }
        maxMillis = Math.max(baseMillis, maxMillis);
    }

    public long millisBefore(int retry) {
        long ceiling = baseMillis << Math.min(retry - 1, 30);
        long delay = Math.min(maxMillis, ceiling <= 0 ? maxMillis : ceiling);
        return delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
    }
}
