package org.wikiedits.sink.lake;

import java.io.IOException;

/**
 * Where lake files live: a local folder, or (in aws mode with Camel delivery) an S3 bucket. A file
 * is written as a pending, invisible file and becomes visible in one atomic step when committed,
 * so readers never see a partial file. Also the seam through which tests inject I/O faults.
 */
public interface LakeStorage {

    /** The event ids in a partition's committed files (their first column), to skip replays. */
    EventIdSet committedIds(String partition) throws IOException;

    /** Starts a pending file; {@code partition} is {@code dt=YYYY-MM-DD/hour=HH}. */
    PendingFile create(String partition, String fileName) throws IOException;

    /** Removes the pending files an earlier process left behind when it died. */
    int discardPending() throws IOException;

    /** A human-readable location, for logs. */
    String describe();

    /** A lake file being written. */
    interface PendingFile {

        void append(byte[] bytes) throws IOException;

        long size();

        /** Makes the file durable and visible under its final name, atomically. */
        void commit() throws IOException;

        /** Abandons the file. */
        void discard() throws IOException;
    }
}
