package org.wikiedits.delivery;

/** One event on its way to a batch call: what {@link RecordBatcher}, {@link EventBatches} and {@link BatchDelivery} need of it. */
public interface OutgoingRecord {

    /** The event's sequence number in the commit protocol ({@link org.wikiedits.commit.CommitTracker}). */
    long seq();

    /** What the record counts against the service's byte limits ({@link org.wikiedits.config.BatchLimits}). */
    long size();
}
