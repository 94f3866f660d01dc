package org.wikiedits.delivery;

import java.util.ArrayList;
import java.util.List;
import org.wikiedits.commit.SeqRuns;

/**
 * One request's worth of records on its way through the delivery ({@link org.wikiedits.delivery.Delivery}),
 * as {@link EventBatches} cut it: its records, the ones still to send (all at first; after an answer only those
 * the destination held), how many requests it took, and what the commit tracker learns once nothing is left to
 * send ({@link #seqs}): the records' events, and the events settled while the batch was pending
 * ({@code carried}: dead-lettered before they became records, or acknowledged in a batch taken over by this
 * one). A batch without records only settles such carried events. Only the sink's one consumer thread
 * touches a batch.
 */
public final class Batch<R extends OutgoingRecord> {

    private final List<R> records;
    private final SeqRuns carried;
    private List<R> unsent;
    private int calls;
    private int failedAttempts;

    public Batch(List<R> records, SeqRuns carried) {
        this.records = List.copyOf(records);
        this.carried = carried;
        this.unsent = this.records;
    }

    /**
     * This batch's unsent records followed by {@code next}'s, as one batch: for a batch whose route failed
     * before it was acknowledged, so that its records go out before later ones and one acknowledgement
     * covers both.
     */
    public Batch<R> followedBy(Batch<R> next) {
        List<R> both = new ArrayList<>(unsent);
        both.addAll(next.records);
        SeqRuns covered = seqs(); // this batch's delivered records are acknowledged with the new one
        covered.addAll(next.carried);
        return new Batch<>(both, covered);
    }

    /** The events this batch settles, exactly (never "everything up to"): see {@link org.wikiedits.commit.CommitTracker}. */
    public SeqRuns seqs() {
        SeqRuns seqs = new SeqRuns();
        seqs.addAll(carried);
        records.forEach(record -> seqs.add(record.seq()));
        return seqs;
    }

    public List<R> records() {
        return records;
    }

    /** The records the last request left to send (all of them before the first). */
    public List<R> unsent() {
        return unsent;
    }

    public boolean settled() {
        return unsent.isEmpty();
    }

    /** Records an answer: {@code held} are sent again; a non-empty remainder counts as a failed attempt. */
    public void remaining(List<R> held) {
        calls++;
        unsent = List.copyOf(held);
        if (!held.isEmpty()) {
            failedAttempts++;
        }
    }

    /** Records a request that failed as a whole (nothing delivered). */
    public void failedCall() {
        calls++;
        failedAttempts++;
    }

    /** Requests made for this batch so far. */
    public int calls() {
        return calls;
    }

    /** Requests that left records unsent since the batch was cut (0: none yet). */
    public int failedAttempts() {
        return failedAttempts;
    }

    /** The highest event the batch settles (for messages). */
    public long lastSeq() {
        return seqs().max();
    }

    public int size() {
        return records.size();
    }

    @Override
    public String toString() {
        return "batch of " + records.size() + " (seq " + (records.isEmpty() ? "" : records.get(0).seq() + "..") + lastSeq()
                + ", " + unsent.size() + " unsent)";
    }
}
