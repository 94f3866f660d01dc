package org.wikiedits.aws;

import java.util.ArrayList;
import java.util.List;

/**
 * Groups records into PutRecordBatch requests: a batch is ready when it holds {@code maxRecords}
 * records or the next record would take it past {@code maxBytes}, or (see {@link #lingered}) when
 * its oldest record has waited {@code lingerMillis}. Records keep their order. Not thread-safe: its
 * owner locks.
 */
public final class FirehoseBatcher {

    /**
     * PutRecordBatch limits (https://docs.aws.amazon.com/firehose/latest/APIReference/API_PutRecordBatch.html):
     * 500 records and 4 MiB per request, 1,000 KiB per record before base64 encoding.
     */
    public static final int MAX_RECORDS = 500;
    public static final long MAX_REQUEST_BYTES = 4L * 1024 * 1024;
    public static final long MAX_RECORD_BYTES = 1000L * 1024;

    private final int maxRecords;
    private final long maxBytes;
    private final long lingerMillis;
    private List<FirehoseRecord> current = new ArrayList<>();
    private long currentBytes;
    private long oldestAt;

    /** Batches at the PutRecordBatch limits, sent at the latest {@code lingerMillis} after their first record. */
    public FirehoseBatcher(long lingerMillis) {
        this(MAX_RECORDS, MAX_REQUEST_BYTES, lingerMillis);
    }

    /** With smaller limits (tests). */
    FirehoseBatcher(int maxRecords, long maxBytes, long lingerMillis) {
        if (maxRecords < 1 || maxRecords > MAX_RECORDS) {
            throw new IllegalArgumentException("a PutRecordBatch request holds 1 to " + MAX_RECORDS + " records, not " + maxRecords);
        }
        if (maxBytes < 1 || maxBytes > MAX_REQUEST_BYTES) {
            throw new IllegalArgumentException("a PutRecordBatch request holds at most " + MAX_REQUEST_BYTES + " bytes, not " + maxBytes);
        }
        if (lingerMillis < 0) {
            throw new IllegalArgumentException("the linger time must not be negative, not " + lingerMillis);
        }
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
        this.lingerMillis = lingerMillis;
    }

    /** Whether Firehose takes the record at all (at most 1,000 KiB of data). */
    public static boolean fits(FirehoseRecord record) {
        return record.size() <= MAX_RECORD_BYTES;
    }

    /**
     * Adds a record and returns the batches that are now complete, oldest first (none, one or two):
     * the current batch when the record does not fit into it any more, and the new one when the
     * record filled it.
     */
    public List<List<FirehoseRecord>> add(FirehoseRecord record, long nowMillis) {
        if (!fits(record) || record.size() > maxBytes) {
            throw new IllegalArgumentException("a Firehose record holds at most " + Math.min(MAX_RECORD_BYTES, maxBytes)
                    + " bytes, not " + record.size());
        }
        List<List<FirehoseRecord>> ready = new ArrayList<>(2);
        if (!current.isEmpty() && currentBytes + record.size() > maxBytes) {
            ready.add(drain());
        }
        if (current.isEmpty()) {
            oldestAt = nowMillis;
        }
        current.add(record);
        currentBytes += record.size();
        if (current.size() >= maxRecords || currentBytes >= maxBytes) {
            ready.add(drain());
        }
        return ready;
    }

    /** Whether the pending records have waited long enough to be sent as they are. */
    public boolean lingered(long nowMillis) {
        return !current.isEmpty() && nowMillis - oldestAt >= lingerMillis;
    }

    /** Takes every pending record as one batch (possibly empty). */
    public List<FirehoseRecord> drain() {
        List<FirehoseRecord> batch = current;
        current = new ArrayList<>();
        currentBytes = 0;
        return batch;
    }

    public int pendingRecords() {
        return current.size();
    }
}
