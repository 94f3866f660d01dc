package org.wikiedits.aws;

import java.util.List;

/**
 * One batch call's worth of records, as {@link EventBatches} cut it, and what the commit tracker
 * learns once the service has acknowledged all of them: every event up to {@code ackSeq} (the last
 * record's sequence number, or a later event that was dead-lettered while the batch was pending).
 * A batch without records only acknowledges such a dead-lettered event.
 */
public record Batch<R extends OutgoingRecord>(List<R> records, long ackSeq) {

    public Batch {
        records = List.copyOf(records);
    }
}
