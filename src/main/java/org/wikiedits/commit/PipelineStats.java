package org.wikiedits.commit;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Counters the pipeline keeps for its progress line, health and metrics. */
public final class PipelineStats {

    private final AtomicLong received = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong canaries = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicReference<Instant> lastEventTime = new AtomicReference<>();
    private volatile Instant lastReceivedAt;

    public void received() {
        received.incrementAndGet();
        lastReceivedAt = Instant.now();
    }

    public void accepted(Instant eventTime) {
        accepted.incrementAndGet();
        lastEventTime.accumulateAndGet(eventTime, (a, b) -> a == null || b.isAfter(a) ? b : a);
    }

    public void canary() {
        canaries.incrementAndGet();
    }

    public void malformed() {
        malformed.incrementAndGet();
    }

    public long receivedCount() {
        return received.get();
    }

    public long acceptedCount() {
        return accepted.get();
    }

    public long canaryCount() {
        return canaries.get();
    }

    public long malformedCount() {
        return malformed.get();
    }

    /** When the source last delivered an event to the pipeline, or null before the first. */
    public Instant lastReceivedAt() {
        return lastReceivedAt;
    }

    /** The newest event time seen (meta.dt), or null before the first event; lag = now - this. */
    public Instant lastEventTime() {
        return lastEventTime.get();
    }
}
