package org.wikiedits.delivery;

import org.wikiedits.commit.AdmitEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikiedits.commit.DeadLetterStore;
import org.wikiedits.commit.Headers;
import org.wikiedits.commit.LastInQueue;
import org.wikiedits.commit.SeqRuns;
import org.wikiedits.config.BatchLimits;
import org.wikiedits.transform.RecentChange;

/**
 * The delivery's batching step ({@link org.wikiedits.delivery.Delivery}), for the streams' publish routes and
 * the index route: turns each event into a record (or takes the record the sink made, {@link #addRecord}) and
 * groups the records into batches ({@link RecordBatcher}: the destination's limits, or after the linger
 * time). Every step returns
 * the batches it completed (none, one or two, oldest first) as the new body, which the route then
 * sends one after the other. The route reads one queue with one consumer, so events and flush ticks
 * are handled on one thread, and batches are cut (and acknowledged) in event order, whether a full
 * batch or the linger time completed them.
 *
 * <p>An event larger than a record may be is a dead letter; it counts as handled with the batch that
 * was pending when it came (or at once, as a batch without records). While Camel stops, the step that
 * drains the queue ({@link LastInQueue}) hands out what is pending, so the queue's last events leave
 * with the last exchange.
 */
public final class EventBatches<R extends OutgoingRecord> extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EventBatches.class);

    /** How an event becomes the record of this stream. */
    @FunctionalInterface
    public interface Records<R> {
        R of(String raw, String eventId, long seq);
    }

    private final String sink;
    private final RecordBatcher<R> batcher;
    private final Records<R> records;
    private final DeadLetterStore deadLetters;
    private final LongSupplier clock;
    private final BooleanSupplier stopping;
    /** The events dead-lettered while records were pending: settled with the batch that holds them. */
    private SeqRuns skipped = new SeqRuns();
    private long lastSeq;

    /**
     * @param sink     the stream's name in the commit protocol, for dead letters and messages
     * @param stopping whether Camel is stopping (then nothing waits for the linger time)
     */
    public EventBatches(String sink, RecordBatcher<R> batcher, Records<R> records, DeadLetterStore deadLetters,
            LongSupplier clock, BooleanSupplier stopping) {
        this.sink = sink;
        this.batcher = batcher;
        this.records = records;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.stopping = stopping;
    }

    /** For a sink that makes its records itself and adds them with {@link #addRecord} (the index). */
    public EventBatches(String sink, RecordBatcher<R> batcher, DeadLetterStore deadLetters, LongSupplier clock,
            BooleanSupplier stopping) {
        this(sink, batcher, (raw, eventId, seq) -> {
            throw new UnsupportedOperationException(sink + " adds records, not events");
        }, deadLetters, clock, stopping);
    }

    /** Body {@link RecentChange}, header {@link Headers#SEQ}, property {@link Headers#RAW}. */
    public synchronized List<Batch<R>> add(Exchange exchange) throws InvalidPayloadException {
        RecentChange event = exchange.getMessage().getMandatoryBody(RecentChange.class);
        Long seq = exchange.getMessage().getHeader(Headers.SEQ, Long.class);
        String raw = exchange.getProperty(Headers.RAW, String.class);
        if (seq == null || raw == null) {
            throw new IllegalArgumentException("a " + batcher.limits().service() + " record needs the event's sequence number"
                    + " (header " + Headers.SEQ + ") and original text (property " + Headers.RAW
                    + "), as AdmitEvent sets them");
        }
        return addEvent(raw, event.eventId(), seq, LastInQueue.test(exchange));
    }

    /**
     * Adds one event; returns the batches now complete. While Camel stops, what is pending goes out too
     * once {@code lastInQueue}.
     */
    public synchronized List<Batch<R>> addEvent(String raw, String eventId, long seq, boolean lastInQueue) {
        return addRecord(records.of(raw, eventId, seq), raw, eventId, lastInQueue);
    }

    /**
     * Adds one record ({@code raw} and {@code eventId}: what its dead letter keeps); returns the batches now
     * complete. The same seq again (a redelivered exchange) is ignored; a lower one is refused, since batches
     * leave, and are acknowledged, in sequence order.
     */
    public synchronized List<Batch<R>> addRecord(R record, String raw, String eventId, boolean lastInQueue) {
        long seq = record.seq();
        if (seq <= lastSeq) {
            if (seq == lastSeq) {
                return List.of();
            }
            throw new IllegalStateException(sink + " writes must come in sequence order: seq " + seq + " after " + lastSeq
                    + "; feed the " + sink + " route from one consumer thread (seda concurrentConsumers=1)");
        }
        lastSeq = seq;
        boolean drain = lastInQueue && stopping.getAsBoolean();
        BatchLimits limits = batcher.limits();
        if (!limits.fits(record.size())) {
            deadLetters.write(sink, "event of " + record.size() + " bytes is larger than a " + limits.service() + " record ("
                    + limits.maxRecordBytes() + " bytes)", raw, eventId);
            if (batcher.pendingRecords() == 0) {
                return List.of(new Batch<>(List.of(), SeqRuns.of(seq)));
            }
            skipped.add(seq);
            return drain ? List.of(cut(batcher.drain())) : List.of();
        }
        List<Batch<R>> ready = new ArrayList<>(2);
        batcher.add(record, clock.getAsLong()).forEach(batch -> ready.add(cut(batch)));
        if (drain && batcher.pendingRecords() > 0) {
            ready.add(cut(batcher.drain()));
        }
        return ready;
    }

    /**
     * A flush tick: {@link Headers#FLUSH_DUE} hands out the pending records once the oldest has waited the
     * linger time, {@link Headers#FLUSH_ALL} hands them out now.
     */
    public synchronized List<Batch<R>> flush(String which) {
        boolean due = Headers.FLUSH_ALL.equals(which) || stopping.getAsBoolean() || batcher.lingered(clock.getAsLong());
        return due && batcher.pendingRecords() > 0 ? List.of(cut(batcher.drain())) : List.of();
    }

    public synchronized int pendingRecords() {
        return batcher.pendingRecords();
    }

    /** Whether pending records have waited the linger time: a linger timer's question, from its own thread (no lock). */
    public boolean lingered() {
        return batcher.lingered(clock.getAsLong());
    }

    private Batch<R> cut(List<R> records) {
        Batch<R> batch = new Batch<>(records, skipped);
        skipped = new SeqRuns();
        return batch;
    }

    @Override
    protected void doStop() {
        int pending = pendingRecords();
        if (pending > 0) {
            LOG.warn("{} stopped with {} records not sent; they are replayed from the checkpoint on the next start", sink, pending);
        }
    }
}
