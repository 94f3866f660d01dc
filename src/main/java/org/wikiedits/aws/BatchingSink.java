package org.wikiedits.aws;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.support.service.ServiceSupport;
import org.wikiedits.checkpoint.CommitTracker;
import org.wikiedits.deadletter.DeadLetterStore;
import org.wikiedits.ops.SinkHealth;
import org.wikiedits.pipeline.AdmitEvent;
import org.wikiedits.transform.RecentChange;

/**
 * A sink that sends events to a stream in batch calls: {@link RecordBatcher} groups them, {@link
 * BatchRetry} sends each batch until every record is acknowledged, and after each batch the commit
 * tracker hears that this sink has every event up to the batch's last sequence number (batches go
 * out one at a time, in order, so that is true). An event too large for the service is a dead letter
 * and counts as handled. Subclasses say how an event becomes a record and what happens on stop.
 */
public abstract class BatchingSink<R extends OutgoingRecord> extends ServiceSupport implements SinkHealth {

    private final String sink;
    private final String displayName;
    private final RecordBatcher<R> batcher;
    private final BatchRetry<R> retry;
    private final SinkProblem problem;
    private final CommitTracker tracker;
    private final DeadLetterStore deadLetters;
    private final LongSupplier clock;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong resent = new AtomicLong();
    /** The last oversized (dead-lettered) event: handled as soon as nothing before it is pending. */
    private long skippedSeq;
    private String abandoned;

    /**
     * @param sink        the name in the commit protocol
     * @param displayName what messages call this sink ({@code Kinesis producer}, {@code Firehose sink firehose-lake})
     * @param problem     what is wrong right now; {@code retry} reports to it while it retries
     */
    protected BatchingSink(String sink, String displayName, RecordBatcher<R> batcher, BatchRetry<R> retry, SinkProblem problem,
            CommitTracker tracker, DeadLetterStore deadLetters, LongSupplier clock) {
        this.sink = sink;
        this.displayName = displayName;
        this.batcher = batcher;
        this.retry = retry;
        this.problem = problem;
        this.tracker = tracker;
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    /** The record that carries this event. */
    protected abstract R record(String raw, String eventId, long seq);

    /** Route step: body {@link RecentChange}, header {@link CommitTracker#SEQ_HEADER}, property {@link AdmitEvent#RAW_PROPERTY}. */
    public void publish(Exchange exchange) throws InterruptedException, InvalidPayloadException {
        RecentChange event = exchange.getMessage().getMandatoryBody(RecentChange.class);
        Long seq = exchange.getMessage().getHeader(CommitTracker.SEQ_HEADER, Long.class);
        String raw = exchange.getProperty(AdmitEvent.RAW_PROPERTY, String.class);
        if (seq == null || raw == null) {
            throw new IllegalArgumentException("a " + batcher.limits().service() + " record needs the event's sequence number"
                    + " (header " + CommitTracker.SEQ_HEADER + ") and original text (property " + AdmitEvent.RAW_PROPERTY
                    + "), as AdmitEvent sets them");
        }
        publish(raw, event.eventId(), seq);
    }

    /** Queues one event; sends the batches it completes (blocking the caller while the service refuses: back-pressure). */
    public synchronized void publish(String raw, String eventId, long seq) throws InterruptedException {
        if (abandoned != null) {
            throw new IllegalStateException("the " + displayName + " has stopped: " + abandoned);
        }
        R record = record(raw, eventId, seq);
        BatchLimits limits = batcher.limits();
        if (!limits.fits(record.size())) {
            deadLetters.write(sink, "event of " + record.size() + " bytes is larger than a " + limits.service() + " record ("
                    + limits.maxRecordBytes() + " bytes)", raw, eventId);
            skippedSeq = seq;
            if (batcher.pendingRecords() == 0) {
                tracker.handled(sink, seq);
            }
            return;
        }
        for (List<R> batch : batcher.add(record, clock.getAsLong())) {
            send(batch);
        }
    }

    /** Sends the pending records when the oldest has waited the linger time; called by a timer route. */
    public synchronized void flushIfDue() throws InterruptedException {
        if (abandoned == null && batcher.lingered(clock.getAsLong())) {
            send(batcher.drain());
        }
    }

    /** Sends every pending record now. */
    public synchronized void flush() throws InterruptedException {
        if (abandoned == null && batcher.pendingRecords() > 0) {
            send(batcher.drain());
        }
    }

    private void send(List<R> batch) throws InterruptedException {
        if (batch.isEmpty()) {
            return;
        }
        BatchRetry.Outcome outcome;
        try {
            outcome = retry.send(batch);
        } catch (BatchRetry.GaveUpException e) {
            // nothing after this batch may be acknowledged in this run, or the checkpoint would pass it
            abandoned = e.getMessage();
            problem.accept(abandoned);
            throw e;
        }
        delivered.addAndGet(batch.size());
        calls.addAndGet(outcome.calls());
        resent.addAndGet(outcome.resentRecords());
        tracker.handled(sink, Math.max(batch.get(batch.size() - 1).seq(), skippedSeq));
    }

    @Override
    public String sinkName() {
        return sink;
    }

    @Override
    public long delivered() {
        return delivered.get();
    }

    @Override
    public Optional<String> problem() {
        return problem.current();
    }

    /** Batch calls made, and records sent again after a failure. */
    public long calls() {
        return calls.get();
    }

    public long resentRecords() {
        return resent.get();
    }

    public synchronized int pendingRecords() {
        return batcher.pendingRecords();
    }
}
