package org.wikiedits.aws;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikiedits.checkpoint.CommitTracker;
import org.wikiedits.deadletter.DeadLetterStore;
import org.wikiedits.ops.SinkHealth;
import org.wikiedits.pipeline.AdmitEvent;
import org.wikiedits.transform.RecentChange;

/**
 * The aws-mode producer behind {@code direct:publish}: one Kinesis record per event, holding the
 * original bytes, keyed by a hash of {@code meta.id}; records go out in PutRecords batches (by size,
 * or after a short linger) and only the failed entries of a batch are sent again. The source checkpoint
 * advances only after Kinesis has acknowledged: after each batch the commit tracker hears that every
 * event up to the batch's last sequence number is durable (batches go out one at a time, in order).
 *
 * <p>Why not the camel-aws2-kinesis producer: in Camel 4.17 its batch mode (an {@code Iterable} body)
 * uses one partition key for the whole batch and turns a partial failure into an exception without
 * the per-entry results, so a retry would re-send the records that did succeed (duplicates) and all
 * events would land on one shard. So this class calls PutRecords on the {@code KinesisClient} bean
 * that the aws2-kinesis component is also configured with (autowired), and leaves the batching and
 * retry logic to {@link KinesisBatcher} and {@link PutRecordsRetry}.
 */
public final class KinesisProducerSink extends ServiceSupport implements SinkHealth {

    /** The name of this sink in the commit protocol. */
    public static final String SINK = "kinesis";

    private static final Logger LOG = LoggerFactory.getLogger(KinesisProducerSink.class);

    private final KinesisBatcher batcher;
    private final PutRecordsRetry retry;
    private final CommitTracker tracker;
    private final DeadLetterStore deadLetters;
    private final LongSupplier clock;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong resent = new AtomicLong();
    private final SinkProblem problem;
    private long skippedSeq;
    private String abandoned;

    /** {@code problem} is the holder {@code retry} reports to while it retries. */
    public KinesisProducerSink(KinesisBatcher batcher, PutRecordsRetry retry, SinkProblem problem, CommitTracker tracker,
                               DeadLetterStore deadLetters, LongSupplier clock) {
        this.batcher = batcher;
        this.problem = problem;
        this.retry = retry;
        this.tracker = tracker;
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    /** {@code direct:publish}: the event as {@link AdmitEvent} left it (body, sequence header, raw property). */
    public void publish(Exchange exchange) throws InterruptedException, InvalidPayloadException {
        String raw = exchange.getProperty(AdmitEvent.RAW_PROPERTY, String.class);
        RecentChange event = exchange.getMessage().getMandatoryBody(RecentChange.class);
        long seq = exchange.getMessage().getHeader(CommitTracker.SEQ_HEADER, Long.class);
        publish(raw, event.eventId(), seq);
    }

    /** Queues one event; sends the batch it completes, if any (blocking the caller: back-pressure). */
    public synchronized void publish(String raw, String eventId, long seq) throws InterruptedException {
        if (abandoned != null) {
            throw new IllegalStateException("the Kinesis producer has stopped: " + abandoned);
        }
        KinesisRecord record = new KinesisRecord(raw.getBytes(StandardCharsets.UTF_8), KinesisRecord.partitionKeyOf(eventId), seq);
        if (!KinesisBatcher.fits(record)) {
            deadLetters.write(SINK, "event of " + record.size() + " bytes is larger than a Kinesis record (1 MiB)", raw, eventId);
            skippedSeq = seq;
            if (batcher.pendingRecords() == 0) {
                tracker.handled(SINK, seq);
            }
            return;
        }
        for (List<KinesisRecord> batch : batcher.add(record, clock.getAsLong())) {
            send(batch);
        }
    }

    /** Sends the pending records when the oldest has waited the linger time; called by a timer route. */
    public synchronized void flushIfDue() throws InterruptedException {
        if (abandoned == null && batcher.lingered(clock.getAsLong())) {
            send(batcher.drain());
        }
    }

    private void send(List<KinesisRecord> batch) throws InterruptedException {
        if (batch.isEmpty()) {
            return;
        }
        PutRecordsRetry.Outcome outcome;
        try {
            outcome = retry.send(batch);
        } catch (PutRecordsRetry.GaveUpException e) {
            // Nothing after this batch may be acknowledged in this run, or the checkpoint would pass it.
            abandoned = e.getMessage();
            problem.accept(abandoned);
            throw e;
        }
        delivered.addAndGet(batch.size());
        calls.addAndGet(outcome.calls());
        resent.addAndGet(outcome.resentRecords());
        tracker.handled(SINK, Math.max(batch.get(batch.size() - 1).seq(), skippedSeq));
    }

    @Override
    public String sinkName() {
        return SINK;
    }

    @Override
    public long delivered() {
        return delivered.get();
    }

    @Override
    public Optional<String> problem() {
        return problem.current();
    }

    /** PutRecords calls made, and records sent again after a failure. */
    public long calls() {
        return calls.get();
    }

    public long resentRecords() {
        return resent.get();
    }

    @Override
    protected void doStop() throws Exception {
        synchronized (this) {
            if (abandoned == null && batcher.pendingRecords() > 0) {
                try {
                    send(batcher.drain());
                } catch (RuntimeException e) {
                    LOG.warn("Stopping with records Kinesis has not acknowledged; they are replayed on the next start: {}",
                            e.getMessage());
                }
            }
        }
        LOG.info("Kinesis producer closed: {} records acknowledged in {} PutRecords calls, {} re-sent after partial failures",
                delivered.get(), calls.get(), resent.get());
    }
}
