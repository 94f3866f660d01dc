package org.wikiedits.delivery;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * When a stopping sink stops waiting for its destination: what it has not delivered by then is not
 * acknowledged, so it is replayed from the checkpoint after the restart. Outside a stop a batch is
 * retried until it goes through (back-pressure holds the source meanwhile).
 */
public final class GiveUpOnStop {

    private final BooleanSupplier stopping;
    private final int maxCallsPerBatch;
    private final int maxFailedRequests;
    private final long maxDelayMillis;
    private volatile Duration closeTimeout;
    private volatile long closeDeadline;
    private volatile int failedWhileStopping;

    private GiveUpOnStop(BooleanSupplier stopping, int maxCallsPerBatch, int maxFailedRequests, Duration closeTimeout,
                         long maxDelayMillis) {
        this.stopping = stopping;
        this.maxCallsPerBatch = maxCallsPerBatch;
        this.maxFailedRequests = maxFailedRequests;
        this.closeTimeout = closeTimeout;
        this.maxDelayMillis = maxDelayMillis;
    }

    /**
     * The index: while Camel stops, after {@code failedRequests} more failed requests, or {@code closeTimeout}
     * after the stop began (within camel.main.shutdown-timeout), waiting at most {@code maxDelay} between attempts.
     */
    public static GiveUpOnStop afterFailedRequests(BooleanSupplier stopping, int failedRequests, Duration closeTimeout,
                                                   Duration maxDelay) {
        return new GiveUpOnStop(stopping, Integer.MAX_VALUE, failedRequests, closeTimeout, maxDelay.toMillis());
    }

    /** The streams: while Camel stops, a batch that has had {@code calls} calls is given up. */
    public static GiveUpOnStop afterCalls(BooleanSupplier stopping, int calls) {
        return new GiveUpOnStop(stopping, calls, Integer.MAX_VALUE, null, Long.MAX_VALUE);
    }

    public boolean stopping() {
        return stopping.getAsBoolean();
    }

    /** Whether to give {@code batch} up now rather than send it again. */
    boolean now(Batch<?> batch) {
        return stopping() && (batch.calls() >= maxCallsPerBatch || failedWhileStopping >= maxFailedRequests
                || pastCloseDeadline());
    }

    /** A request failed as a whole. */
    void failedRequest() {
        if (stopping()) {
            failedWhileStopping++;
        }
    }

    /** The wait before the next attempt: {@code delay}, shortened while stopping. */
    long cap(long delay) {
        if (!stopping()) {
            return delay;
        }
        long capped = Math.min(delay, maxDelayMillis);
        long deadline = closeDeadline;
        return deadline == 0 ? capped : Math.max(0, Math.min(capped, (deadline - System.nanoTime()) / 1_000_000L));
    }

    /** Test seam: how long a stopping Camel waits for the destination. */
    public void setCloseTimeout(Duration closeTimeout) {
        this.closeTimeout = closeTimeout;
    }

    private boolean pastCloseDeadline() {
        if (closeTimeout == null) {
            return false;
        }
        if (closeDeadline == 0) {
            closeDeadline = System.nanoTime() + closeTimeout.toNanos();
        }
        return System.nanoTime() > closeDeadline;
    }
}
