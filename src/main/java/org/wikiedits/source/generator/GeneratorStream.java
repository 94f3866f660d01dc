package org.wikiedits.source.generator;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikiedits.source.EventHandler;
import org.wikiedits.source.EventStream;
import org.wikiedits.source.SourceEvent;

/**
 * An endless stream of {@link SyntheticEvents} at a steady rate: event n has id {@code n}, and a
 * restart resumes at the checkpointed id + 1, so a replay after a crash produces the same
 * {@code meta.id}s again.
 */
public final class GeneratorStream implements EventStream {

    private static final Logger LOG = LoggerFactory.getLogger(GeneratorStream.class);

    private static final long MAX_BEHIND_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final double rate;
    private final long first;
    private final CountDownLatch closed = new CountDownLatch(1);

    /**
     * @param rate          events per second; 0 = as fast as the handler takes them
     * @param resumeAfterId the last event number already handled, if any
     */
    public GeneratorStream(double rate, Optional<String> resumeAfterId) {
        checkRate(rate);
        this.rate = rate;
        this.first = resumeAfterId.map(GeneratorStream::next).orElse(1L);
    }

    /** Fails with what to set unless {@code rate} is 0 or positive. */
    public static void checkRate(double rate) {
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("wikiedits.generator.rate (sse option rate) must be 0 (as fast as possible)"
                    + " or positive events per second, not " + rate);
        }
    }

    private static long next(String id) {
        try {
            return Math.max(0, Long.parseLong(id.trim())) + 1;
        } catch (NumberFormatException e) {
            LOG.warn("Resume position '{}' is no generator event number; starting at event 1", id);
            return 1;
        }
    }

    @Override
    public void run(EventHandler handler) throws InterruptedException {
        LOG.info("Generating synthetic events from #{} at {}", first, rate == 0 ? "full speed" : rate + " events/s");
        long start = System.nanoTime();
        long scheduleFrom = first;
        for (long n = first; !isClosed(); n++) {
            if (rate > 0) {
                long waitNanos = start + (long) ((n - scheduleFrom) * 1e9 / rate) - System.nanoTime();
                if (waitNanos < -MAX_BEHIND_NANOS) {
                    // the handler held us up (back-pressure): carry on at the rate, no burst to catch up
                    start = System.nanoTime();
                    scheduleFrom = n;
                } else if (waitNanos > 0 && closed.await(waitNanos, TimeUnit.NANOSECONDS)) {
                    return;
                }
            }
            handler.onEvent(new SourceEvent(Long.toString(n), SourceEvent.DEFAULT_TYPE, SyntheticEvents.event(n, Instant.now())));
        }
    }

    @Override
    public void close() {
        closed.countDown();
    }

    private boolean isClosed() {
        return closed.getCount() == 0;
    }
}
