package org.wikiedits.delivery;

import java.util.List;
import org.wikiedits.commit.SeqRuns;

/**
 * One batch call's worth of records, as {@link EventBatches} cut it, and what the commit tracker
 * learns once the service has acknowledged all of them ({@link #seqs}): the records' events, and the
 * events dead-lettered while the batch was pending ({@code deadLettered}). A batch without records only
 * settles such dead-lettered events.
 */
public record Batch<R extends OutgoingRecord>(List<R> records, SeqRuns deadLettered) {

    public Batch {
        records = List.copyOf(records);
    }

    /** The events this batch settles, exactly (never "everything up to"): see {@link org.wikiedits.commit.CommitTracker}. */
    public SeqRuns seqs() {
        SeqRuns seqs = new SeqRuns();
        seqs.addAll(deadLettered);
        records.forEach(record -> seqs.add(record.seq()));
        return seqs;
    }
}
