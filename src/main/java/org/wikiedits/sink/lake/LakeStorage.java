package org.wikiedits.sink.lake;

import java.io.IOException;
import java.util.Optional;

/**
 * Where lake files live: a local folder, or (in aws mode with Camel delivery) an S3 bucket. A file
 * is written as a pending, invisible file and becomes visible whole in one atomic step, so readers
 * never see a partial file: at once when committed (a rename), or later (S3: once the upload route
 * has put it, see {@link #afterVisible}). Also the seam through which tests inject I/O faults.
 */
public interface LakeStorage {

    /** The event ids in a partition's committed files (their first column), to skip replays. */
    EventIdSet committedIds(String partition) throws IOException;

    /** Starts a pending file; {@code partition} is {@code dt=YYYY-MM-DD/hour=HH}. */
    PendingFile create(String partition, String fileName) throws IOException;

    /** Removes the pending files an earlier process left behind when it died. */
    int discardPending() throws IOException;

    /**
     * Runs {@code report} once every file committed so far is visible to readers, in the order of the
     * calls. A folder's commit is the rename, so it runs at once; on S3 it runs when the upload of the
     * last of those files is acknowledged.
     */
    default void afterVisible(Runnable report) {
        report.run();
    }

    /** Why files cannot be made visible right now (the storage is retrying), or empty. */
    default Optional<String> problem() {
        return Optional.empty();
    }

    /** A human-readable location, for logs. */
    String describe();

    /** A lake file being written. */
    interface PendingFile {

        void append(byte[] bytes) throws IOException;

        long size();

        /**
         * Completes the file; from then on it becomes visible under its final name whole, at once or
         * (see {@link LakeStorage#afterVisible}) later.
         */
        void commit() throws IOException;

        /** Abandons the file. */
        void discard() throws IOException;
    }
}
