package org.wikiedits.aws;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Processor;
import org.apache.camel.spi.ShutdownPrepared;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikiedits.checkpoint.CommitTracker;
import org.wikiedits.deadletter.DeadLetterStore;
import org.wikiedits.ops.SinkHealth;
import org.wikiedits.pipeline.AdmitEvent;
import org.wikiedits.transform.RecentChange;

/**
 * One Firehose delivery stream of {@code wikiedits.aws.delivery=firehose-direct} as a sink: every event
 * becomes one record holding its original JSON bytes (the stream's transformation Lambda turns it into
 * a lake row or a search document on AWS); records go out in PutRecordBatch batches (by count and
 * size, or after a short linger) and only the failed entries of a batch are sent again. After each
 * batch the commit tracker hears that this sink has every event up to the batch's last sequence
 * number; batches go out one at a time, in order, so that is true. The source checkpoint therefore
 * moves only when both streams (two instances of this class) have acknowledged.
 *
 * <p>Route steps: {@code process} (the event as {@link AdmitEvent} left it) from one consumer thread,
 * {@link #flushIfDue} from a timer. When its route shuts down, the sink sends what it holds
 * ({@link #prepareShutdown}); what Firehose does not take then is replayed after the restart.
 */
public final class FirehoseSink extends ServiceSupport implements Processor, ShutdownPrepared, SinkHealth {

    private static final Logger LOG = LoggerFactory.getLogger(FirehoseSink.class);

    private final String sink;
    private final String stream;
    private final FirehoseBatcher batcher;
    private final PutRecordBatchRetry retry;
    private final CommitTracker tracker;
    private final DeadLetterStore deadLetters;
    private final LongSupplier clock;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong resent = new AtomicLong();
    private final AtomicReference<String> problem;
    private long skippedSeq;
    private String abandoned;

    /**
     * @param sink   the name in the commit protocol ({@code firehose-lake}, {@code firehose-index})
     * @param stream the delivery stream, for messages
     * @param retry   sends a batch
     * @param problem what is wrong right now (null: nothing); {@code retry} sets it while it retries
     */
    public FirehoseSink(String sink, String stream, FirehoseBatcher batcher, PutRecordBatchRetry retry,
            AtomicReference<String> problem, CommitTracker tracker, DeadLetterStore deadLetters, LongSupplier clock) {
        this.sink = sink;
        this.stream = stream;
        this.batcher = batcher;
        this.retry = retry;
        this.problem = problem;
        this.tracker = tracker;
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    /** Route step: body {@link RecentChange}, header {@link CommitTracker#SEQ_HEADER}, property {@link AdmitEvent#RAW_PROPERTY}. */
    @Override
    public void process(Exchange exchange) throws InterruptedException, InvalidPayloadException {
        RecentChange event = exchange.getMessage().getMandatoryBody(RecentChange.class);
        Long seq = exchange.getMessage().getHeader(CommitTracker.SEQ_HEADER, Long.class);
        String raw = exchange.getProperty(AdmitEvent.RAW_PROPERTY, String.class);
        if (seq == null || raw == null) {
            throw new IllegalArgumentException("a Firehose record needs the event's sequence number (header "
                    + CommitTracker.SEQ_HEADER + ") and original text (property " + AdmitEvent.RAW_PROPERTY
                    + "), as AdmitEvent sets them");
        }
        publish(raw, event.eventId(), seq);
    }

    /** Queues one event; sends the batches it completes (blocking the caller while Firehose refuses: back-pressure). */
    public synchronized void publish(String raw, String eventId, long seq) throws InterruptedException {
        if (abandoned != null) {
            throw new IllegalStateException("the Firehose sink " + sink + " has stopped: " + abandoned);
        }
        FirehoseRecord record = new FirehoseRecord(raw.getBytes(StandardCharsets.UTF_8), seq, eventId);
        if (!FirehoseBatcher.fits(record)) {
            deadLetters.write(sink, "event of " + record.size() + " bytes is larger than a Firehose record ("
                    + FirehoseBatcher.MAX_RECORD_BYTES + " bytes)", raw, eventId);
            skippedSeq = seq;
            if (batcher.pendingRecords() == 0) {
                tracker.handled(sink, seq);
            }
            return;
        }
        for (List<FirehoseRecord> batch : batcher.add(record, clock.getAsLong())) {
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

    private void send(List<FirehoseRecord> batch) throws InterruptedException {
        if (batch.isEmpty()) {
            return;
        }
        PutRecordBatchRetry.Outcome outcome;
        try {
            outcome = retry.send(batch);
        } catch (PutRecordBatchRetry.GaveUpException e) {
            // nothing after this batch may be acknowledged in this run, or the checkpoint would pass it
            abandoned = e.getMessage();
            problem.set(abandoned);
            throw e;
        }
        delivered.addAndGet(batch.size());
        calls.addAndGet(outcome.calls());
        resent.addAndGet(outcome.resentRecords());
        tracker.handled(sink, Math.max(batch.get(batch.size() - 1).seq(), skippedSeq));
    }

    /**
     * Called when the route that feeds this sink shuts down, after its last exchange: sends what is
     * pending while the Firehose endpoint still works (Camel stops endpoints after routes).
     */
    @Override
    public void prepareShutdown(boolean suspendOnly, boolean forced) {
        if (suspendOnly) {
            return;
        }
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("Stopping with records Firehose stream {} has not acknowledged; they are replayed on the next start: {}",
                    stream, e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Interrupted while sending the last records to Firehose stream {}; they are replayed on the next start",
                    stream);
        }
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
        return Optional.ofNullable(problem.get());
    }

    /** PutRecordBatch calls made, and records sent again after a failure. */
    public long calls() {
        return calls.get();
    }

    public long resentRecords() {
        return resent.get();
    }

    public synchronized int pendingRecords() {
        return batcher.pendingRecords();
    }

    @Override
    protected void doStop() {
        int pending = pendingRecords();
        if (pending > 0) {
            LOG.warn("Firehose sink {} stopped with {} records not sent; they are replayed from the checkpoint on the next start",
                    sink, pending);
        }
        LOG.info("Firehose stream {} ({}): {} records acknowledged in {} PutRecordBatch calls, {} re-sent after partial failures",
                stream, sink, delivered.get(), calls.get(), resent.get());
    }
}
