package org.wikiedits.delivery;

import java.util.ArrayList;
import java.util.List;
import org.wikiedits.config.BatchLimits;

/**
 * Groups records into batch calls: a batch is ready when it holds {@code maxRecords} records or the
 * next record would take it past {@code maxBytes}, or (see {@link #lingered}) when its oldest record
 * has waited {@code lingerMillis}. Records keep their order. Not thread-safe: its owner locks; only
 * {@link #lingered} may be asked from another thread (a linger timer's).
 */
public final class RecordBatcher<R extends OutgoingRecord> {

    private final BatchLimits limits;
    private final int maxRecords;
    private final long maxBytes;
    private final long lingerMillis;
    private List<R> current = new ArrayList<>();
    private long currentBytes;
    /** When the oldest pending record came, and whether there is one: read by a linger timer's thread. */
    private volatile long oldestAt;
    private volatile boolean holding;

    /** Batches at the service's limits, sent at the latest {@code lingerMillis} after their first record. */
    public RecordBatcher(BatchLimits limits, long lingerMillis) {
        this(limits, limits.maxRecords(), limits.maxRequestBytes(), lingerMillis);
    }

    /** With smaller limits (a setting, or tests). */
    public RecordBatcher(BatchLimits limits, int maxRecords, long maxBytes, long lingerMillis) {
        if (maxRecords < 1 || maxRecords > limits.maxRecords()) {
            throw new IllegalArgumentException("a " + limits.call() + " request holds 1 to " + limits.maxRecords()
                    + " records, not " + maxRecords);
        }
        if (maxBytes < 1 || maxBytes > limits.maxRequestBytes()) {
            throw new IllegalArgumentException("a " + limits.call() + " request holds at most " + limits.maxRequestBytes()
                    + " bytes, not " + maxBytes);
        }
        if (lingerMillis < 0) {
            throw new IllegalArgumentException("the linger time must not be negative, not " + lingerMillis);
        }
        this.limits = limits;
            this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
        this.lingerMillis = lingerMillis;
    }

    public BatchLimits limits() {
        return limits;
    }

    /**
     * Adds a record and returns the batches that are now complete, oldest first (none, one or two):
     * the current batch when the record does not fit into it any more, and the new one when the
     * record filled it.
     */
    public List<List<R>> add(R record, long nowMillis) {
        long bytes = record.size();
        if (!limits.fits(bytes) || bytes > maxBytes) {
            throw new IllegalArgumentException("a " + limits.service() + " record holds at most "
                    + Math.min(limits.maxRecordBytes(), maxBytes) + " bytes, not " + bytes);
        }
        List<List<R>> ready = new ArrayList<>(2);
        if (!current.isEmpty() && currentBytes + bytes > maxBytes) {
            ready.add(drain());
        }
        if (current.isEmpty()) {
            oldestAt = nowMillis;
            holding = true;
        }
        current.add(record);
        currentBytes += bytes;
        if (current.size() >= maxRecords || currentBytes >= maxBytes) {
            ready.add(drain());
        }
        return ready;
    }

    /** Whether the pending records have waited long enough to be sent as they are. */
    public boolean lingered(long nowMillis) {
        return holding && nowMillis - oldestAt >= lingerMillis;
    }

    /** Takes every pending record as one batch (possibly empty). */
    public List<R> drain() {
        List<R> batch = current;
        current = new ArrayList<>();
        currentBytes = 0;
        holding = false;
        return batch;
    }

    public int pendingRecords() {
        return current.size();
    }
}
