package org.wikiedits.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.wikiedits.commit.CommitTracker;

/**
 * The one delivery core of the index, Kinesis and Firehose sinks: batch → send → settle → back off →
 * acknowledge in order. Each sink's route calls its thin destination adapter (the index's {@code IndexSink},
 * the streams' {@link org.wikiedits.delivery.BatchDelivery}), which does the request and reads the answer into a
 * {@link Settlement}; this class does the rest, the same for every destination:
 * <ol>
 *   <li>{@link #handOut}: a batch cut by {@link org.wikiedits.delivery.EventBatches}; one whose route failed before
 *       it was acknowledged goes out again in front of it;</li>
 *   <li>{@link #settle} (the destination answered) or {@link #failed} (the request failed as a whole): refused
 *       records go to the dead-letter store (kept when it cannot take them), held ones stay unsent;</li>
 *   <li>{@link #givingUp} / {@link #backoffMillis}: the route loops with the one {@link Backoff} until nothing is
 *       unsent, or gives the batch up while Camel stops ({@link GiveUpOnStop});</li>
 *   <li>{@link #acknowledge}: the commit tracker learns the batch's events for this sink.</li>
 * </ol>
 * One consumer thread runs all of them per sink, so one batch is in flight and batches are acknowledged
 * in order; while the destination cannot take a batch, the loop holds that thread, the queue in front of
 * it fills and the source stops reading (back-pressure).
 */
public final class Delivery<R extends OutgoingRecord> {

    /** Writes a refused record to the dead-letter store; false when the store could not take it. */
    @FunctionalInterface
    public interface DeadLetters<R> {
        boolean write(R record, String reason);
    }

    private final String sink;
    private final Backoff backoff;
    private final GiveUpOnStop giveUp;
    private final DeadLetters<R> deadLetters;
    private final CommitTracker tracker;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong resent = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private volatile long acknowledgedSeq;
    /** The batch handed out and not yet acknowledged. */
    private volatile Batch<R> inFlight;

    /** @param sink the sink's name in the commit protocol */
    public Delivery(String sink, Backoff backoff, GiveUpOnStop giveUp, DeadLetters<R> deadLetters, CommitTracker tracker) {
        this.sink = sink;
        this.backoff = backoff;
        this.giveUp = giveUp;
        this.deadLetters = deadLetters;
        this.tracker = tracker;
    }

    /**
     * The batch to send now: {@code next}, behind the unsent rest of a batch whose route failed before its
     * acknowledgement ({@code notAcknowledged} hears of that one first).
     */
    public Batch<R> handOut(Batch<R> next, Consumer<Batch<R>> notAcknowledged) {
        Batch<R> batch = next;
        Batch<R> failed = inFlight;
        if (failed != null) {
            notAcknowledged.accept(failed);
            batch = failed.followedBy(next);
        }
        inFlight = batch;
        return batch;
    }

    /**
     * The destination answered: delivered records count, refused ones become dead letters (a record the store
     * cannot take stays unsent, so the watermark waits for it), held ones are sent again.
     *
     * @return the records now left to send
     */
    public List<R> settle(Batch<R> batch, Settlement<R> settlement) {
        requests.incrementAndGet();
        delivered.addAndGet(settlement.delivered().size());
        List<R> unsent = new ArrayList<>(settlement.held());
        for (Settlement.Refused<R> refused : settlement.refused()) {
            if (deadLetters.write(refused.record(), refused.reason())) {
                deadLettered.incrementAndGet();
            } else {
                unsent.add(refused.record());
            }
        }
        batch.remaining(unsent);
        resent.addAndGet(unsent.size());
        return batch.unsent();
    }

    /** The request failed as a whole (destination unreachable, an error answer to the whole request). */
    public void failed(Batch<R> batch) {
        requests.incrementAndGet();
        batch.failedCall();
        giveUp.failedRequest();
    }

    /** Whether Camel is stopping and the batch is given up rather than sent again. */
    public boolean givingUp(Batch<R> batch) {
        return !batch.settled() && giveUp.now(batch);
    }

    /** The wait before the next request of {@code batch}: 0 when nothing remains, else the backoff for its failed attempts. */
    public long backoffMillis(Batch<R> batch) {
        if (batch.settled() || batch.failedAttempts() == 0) {
            return 0;
        }
        return giveUp.cap(backoff.millisBefore(batch.failedAttempts()));
    }

    /** Every record of {@code batch} is delivered or dead-lettered: the commit tracker learns its events, in order. */
    public void acknowledge(Batch<R> batch) {
        if (!batch.settled()) {
            throw new IllegalStateException("a batch with " + batch.unsent().size() + " undelivered records cannot be acknowledged");
        }
        tracker.handled(sink, batch.seqs());
        inFlight = null;
        acknowledgedSeq = Math.max(acknowledgedSeq, batch.lastSeq());
    }

    public String sink() {
        return sink;
    }

    public boolean stopping() {
        return giveUp.stopping();
    }

    /** Test seam: how long a stopping Camel waits for the destination. */
    public void setCloseTimeout(java.time.Duration closeTimeout) {
        giveUp.setCloseTimeout(closeTimeout);
    }

    /** Records the destination took (a repeated one counts again). */
    public long delivered() {
        return delivered.get();
    }

    /** Requests made, answered or failed. */
    public long requests() {
        return requests.get();
    }

    /** Records sent again after the destination held them. */
    public long resent() {
        return resent.get();
    }

    public long deadLettered() {
        return deadLettered.get();
    }

    /** The highest sequence number acknowledged to the commit tracker. */
    public long acknowledgedSeq() {
        return acknowledgedSeq;
    }

    /** Records of a batch handed out and not acknowledged yet. */
    public int unsentInFlight() {
        Batch<R> batch = inFlight;
        return batch == null ? 0 : batch.unsent().size();
    }
}
