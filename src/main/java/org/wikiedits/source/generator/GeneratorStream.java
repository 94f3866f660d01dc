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
 * An endless stream of {@link SyntheticEvents} at a steady rate. A fresh start (no checkpoint) picks a
 * new run name; event n of run r has the source id {@code r:n}, which the checkpoint stores, and a restart
 * resumes at the checkpointed n + 1 of the same run, so a replay after a crash produces the same
 * {@code meta.id}s again while a fresh data folder produces new ones (two fresh runs into one index
 * are not taken for duplicates). A checkpoint from before runs were named ({@code n}) resumes the unnamed run.
 */
public final class GeneratorStream implements EventStream {

    private static final Logger LOG = LoggerFactory.getLogger(GeneratorStream.class);

    private static final long MAX_BEHIND_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final double rate;
    private final String run;
    private final long first;
    private final CountDownLatch closed = new CountDownLatch(1);

    /**
     * @param rate          events per second; 0 = as fast as the handler takes them
     * @param resumeAfterId the source id of the last event already handled ({@code run:number}), if any
     */
    public GeneratorStream(double rate, Optional<String> resumeAfterId) {
        checkRate(rate);
        this.rate = rate;
        Optional<Position> resumed = resumeAfterId.flatMap(Position::parse);
        this.run = resumed.map(Position::run).orElseGet(GeneratorStream::newRun);
        this.first = resumed.map(position -> position.n() + 1).orElse(1L);
    }

    /** Where a run stands: its name ({@code ""} for a checkpoint from before runs were named) and the last event number. */
    private record Position(String run, long n) {

        static Optional<Position> parse(String id) {
            int colon = id.indexOf(':');
            try {
                return Optional.of(new Position(colon < 0 ? "" : id.substring(0, colon).trim(),
                        Math.max(0, Long.parseLong(id.substring(colon + 1).trim()))));
            } catch (NumberFormatException e) {
                LOG.warn("Resume position '{}' is no generator position (run:number); starting a new run at event 1", id);
                return Optional.empty();
            }
        }
    }

    /** A fresh run's name: eight hex digits (a fresh data folder makes a second run with the same name unlikely). */
    private static String newRun() {
        return String.format("%08x", java.util.concurrent.ThreadLocalRandom.current().nextInt());
    }

    /** Fails with what to set unless {@code rate} is 0 or positive. */
    public static void checkRate(double rate) {
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("wikiedits.generator.rate (sse option rate) must be 0 (as fast as possible)"
                    + " or positive events per second, not " + rate);
        }
    }

    @Override
    public void run(EventHandler handler) throws InterruptedException {
        LOG.info("Generating synthetic events of run {} from #{} at {}", run.isEmpty() ? "(unnamed)" : run, first,
                rate == 0 ? "full speed" : rate + " events/s");
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
            handler.onEvent(new SourceEvent(run.isEmpty() ? Long.toString(n) : run + ":" + n, SourceEvent.DEFAULT_TYPE,
                    SyntheticEvents.event(run, n, Instant.now())));
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
