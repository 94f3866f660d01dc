package org.wikiedits.aws;

import java.util.ArrayList;
import java.util.List;

/**
 * Groups records into PutRecords batches: a batch is ready when it holds {@code maxRecords} records
 * or adding the next record would pass {@code maxBytes}, or (see {@link #lingered}) when its oldest
 * record has waited {@code lingerMillis}. Records keep their order. Not thread-safe: its owner locks.
 */
public final class KinesisBatcher {

    /** PutRecords limits: records per request, bytes per request, bytes per record (data + key). */
    public static final int MAX_RECORDS = 500;
    public static final long MAX_REQUEST_BYTES = 5L * 1024 * 1024;
    public static final long MAX_RECORD_BYTES = 1024L * 1024;

    private final int maxRecords;
    private final long maxBytes;
    private final long lingerMillis;
    private List<KinesisRecord> current = new ArrayList<>();
    private long currentBytes;
    private long oldestAt;

    public KinesisBatcher(int maxRecords, long maxBytes, long lingerMillis) {
        if (maxRecords < 1 || maxRecords > MAX_RECORDS) {
            throw new IllegalArgumentException("a PutRecords batch holds 1 to " + MAX_RECORDS + " records, not " + maxRecords);
        }
        if (maxBytes < MAX_RECORD_BYTES || maxBytes > MAX_REQUEST_BYTES) {
            throw new IllegalArgumentException("a PutRecords batch holds " + MAX_RECORD_BYTES + " to " + MAX_REQUEST_BYTES
                    + " bytes, not " + maxBytes);
        }
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
        this.lingerMillis = lingerMillis;
    }

    /** Whether Kinesis can take the record at all (at most 1 MiB of data and key). */
    public static boolean fits(KinesisRecord record) {
        return record.size() <= MAX_RECORD_BYTES;
    }

    /**
     * Adds a record and returns the batches that are now complete, oldest first (none, or one): the
     * current batch when the record does not fit into it any more, or when the record filled it.
     */
    public List<List<KinesisRecord>> add(KinesisRecord record, long nowMillis) {
        if (!fits(record)) {
            throw new IllegalArgumentException("a Kinesis record holds at most " + MAX_RECORD_BYTES + " bytes, not " + record.size());
        }
        List<List<KinesisRecord>> ready = new ArrayList<>(1);
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
    public List<KinesisRecord> drain() {
        List<KinesisRecord> batch = current;
        current = new ArrayList<>();
        currentBytes = 0;
        return batch;
    }

    public int pendingRecords() {
        return current.size();
    }
}
