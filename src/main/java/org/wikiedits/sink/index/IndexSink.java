package org.wikiedits.sink.index;

import org.wikiedits.commit.AdmitEvent;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.support.service.ServiceSupport;
import org.opensearch.client.opensearch.core.bulk.BulkResponseItem;
import org.opensearch.client.opensearch.core.bulk.IndexOperation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikiedits.commit.CommitTracker;
import org.wikiedits.commit.CrashPoint;
import org.wikiedits.commit.DeadLetterStore;
import org.wikiedits.commit.FlushOnStop;
import org.wikiedits.commit.Headers;
import org.wikiedits.commit.LastInQueue;
import org.wikiedits.commit.SinkHealth;
import org.wikiedits.delivery.Backoff;

/**
 * The index routes' bean ({@code indexSink}, {@code awsIndexSink}): the domain steps around the
 * {@code opensearch:} Bulk endpoint. In route order:
 * <ol>
 *   <li>{@link #add} / {@link #flush}: collect documents ({@link PendingBatch}) and hand out a
 *       finished {@link BulkBatch} in the exchange property {@value Headers#BULK_BATCH} (when full, or
 *       on a flush tick once the oldest has waited the linger time; {@link #tickDue} asks for ticks);</li>
 *   <li>{@link #bulkRequest}: the endpoint's body, the batch's unsent documents as index operations;</li>
 *   <li>{@link #settle} (the endpoint answered) or {@link #failed} (it threw): acknowledged items count,
 *       items refused for what the document is go to the dead-letter store, items refused for the index's or
 *       the cluster's sake stay unsent ({@link BulkOutcome}, {@link RefusalKind}), as do items refused with a
 *       type not classified here, unless singled out by it for ten minutes ({@link UnclassifiedRefusals});</li>
 *   <li>{@link #unsettled} / {@link #backoffMillis}: the route's loop and delay until nothing is unsent;</li>
 *   <li>{@link #commit}: tells the commit tracker which events the batch made durable.</li>
 * </ol>
 * One consumer thread runs all of them, so one batch is in flight at a time and batches commit in
 * order. While the cluster cannot take a batch, the loop holds that thread, the queue in front fills
 * and the source stops reading. Also installs the index template when Camel starts
 * ({@link IndexTemplate}) and reports problems to {@code /health} ({@link SinkHealth}).
 */
public final class IndexSink extends ServiceSupport implements SinkHealth {

    /** The sink name in the commit protocol. */
    public static final String SINK = "index";

    /** 200 ms doubling to 30 s between attempts: quick after a blip, gentle on a cluster that is down for long. */
    public static final Backoff RETRY = new Backoff(200, 30_000);

    private static final Logger LOG = LoggerFactory.getLogger(IndexSink.class);
    /** Within camel.main.shutdown-timeout (30 s): what is not sent by then is replayed after the restart. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** While Camel stops, a cluster that failed this many requests is not waited for any longer. */
    private static final int FAILED_REQUESTS_ON_STOP = 2;
    /** While Camel stops, the longest wait between attempts. */
    private static final long BACKOFF_ON_STOP_MILLIS = 500;
    /** A tick the consumer has not taken for this long is assumed lost (its send failed): ask for another. */
    private static final long TICK_LOST_NANOS = Duration.ofSeconds(30).toNanos();

    private final PendingBatch pending;
    private final IndexTemplate template;
    private final CommitTracker tracker;
    private final DeadLetterStore deadLetters;
    private final OpenSearchEndpoint endpoint;
    private final Backoff backoff;
    private final BooleanSupplier stopping;
    private final IndexProblem problem = new IndexProblem();
    private final UnclassifiedRefusals unclassified;
    private volatile Duration closeTimeout = CLOSE_TIMEOUT;
    private volatile long closeDeadline;
    private volatile int failedWhileStopping;
    /** When the last tick was asked for (nano clock), 0 when none waits in the queue. */
    private volatile long tickAskedAt;
    private volatile long acknowledgedSeq;
    /** The batch handed out and not yet committed (only the consumer thread touches it). */
    private volatile BulkBatch inFlight;
    private volatile Consumer<Instant> deliveryListener = eventTime -> { };

    private final AtomicLong indexed = new AtomicLong();
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong retriedItems = new AtomicLong();
    private final AtomicLong bulkRequests = new AtomicLong();

    /**
     * @param stopping whether Camel is stopping: a batch the cluster does not take within 10 s of that, or
     *                 after two more failed requests, is given up (not committed, so replayed after the restart)
     * @param clock    times the ten-minute rule of refusals of an unclassified type
     */
    public IndexSink(PendingBatch pending, IndexTemplate template, CommitTracker tracker, DeadLetterStore deadLetters,
                     OpenSearchEndpoint endpoint, Backoff backoff, BooleanSupplier stopping, Clock clock) {
        this.pending = pending;
        this.template = template;
        this.tracker = tracker;
        this.deadLetters = deadLetters;
        this.endpoint = endpoint;
        this.backoff = backoff;
        this.stopping = stopping;
        this.unclassified = new UnclassifiedRefusals(clock);
    }

    /**
     * Route step after {@code searchDocument}: adds the document; when that fills the batch (or Camel is
     * stopping and the queue is drained), the batch goes into {@value Headers#BULK_BATCH}. The original text,
     * when present, is what a dead letter keeps.
     */
    public void add(@Body String document, @Header(Headers.DOCUMENT_ID) String id,
                    @Header(Headers.EVENT_TIME) Instant eventTime,
                    @Header(Headers.SEQ) long seq, @ExchangeProperty(Headers.RAW) String raw,
                    Exchange exchange) {
        BulkBatch full = pending.add(new IndexDocument(id, document, raw, seq, eventTime));
        // while Camel stops, the events queued behind the last flush tick go out once the queue is drained
        handOut(full == null && stopping.getAsBoolean() && LastInQueue.test(exchange) ? pending.cutAll() : full, exchange);
    }

    /**
     * Route step for a flush tick ({@link Headers#FLUSH}): hands out the partial batch once its oldest
     * document has waited the linger time ({@link Headers#FLUSH_DUE}), or at once when Camel stops
     * ({@link Headers#FLUSH_ALL}, or any tick while stopping).
     */
    public void flush(@Header(Headers.FLUSH) String which, Exchange exchange) {
        tickAskedAt = 0;
        boolean all = Headers.FLUSH_ALL.equals(which) || stopping.getAsBoolean();
        handOut(all ? pending.cutAll() : pending.cutIfLingered(), exchange);
    }

    /** For the linger timer (its own thread): whether to put a flush tick in the queue now (at most one waits there). */
    public boolean tickDue() {
        long asked = tickAskedAt;
        if (!pending.lingered() || asked != 0 && System.nanoTime() - asked < TICK_LOST_NANOS) {
            return false;
        }
        tickAskedAt = Math.max(1, System.nanoTime());
        return true;
    }

    /** The body for the Bulk endpoint: the batch's unsent documents; installs the template first if the start could not. */
    public List<IndexOperation<RawValue>> bulkRequest(@ExchangeProperty(Headers.BULK_BATCH) BulkBatch batch) throws IOException {
        template.ensureInstalled();
        return batch.operations();
    }

    /**
     * The endpoint answered (body: {@code BulkResponse.items()}): counts, dead-letters what was refused for what the
     * document is (or singled out with an unclassified type for ten minutes), and keeps the held rest to re-send.
     */
    public void settle(@Body List<BulkResponseItem> items, @ExchangeProperty(Headers.BULK_BATCH) BulkBatch batch) {
        bulkRequests.incrementAndGet();
        // Honest name: the bulk has been sent AND its answer has arrived; nothing is acknowledged yet
        CrashPoint.reached(CrashPoint.INDEX_BULK_SENT);
        List<IndexDocument> sent = batch.unsent();
        BulkOutcome outcome = BulkOutcome.of(sent, items);
        indexed.addAndGet(outcome.acknowledged().size());
        created.addAndGet(outcome.created());
        List<IndexDocument> retry = new ArrayList<>(outcome.retry());
        List<BulkOutcome.Rejected> rejectedNow = new ArrayList<>(outcome.rejected());
        for (BulkOutcome.Rejected givenUp : unclassified.giveUp(outcome)) {
            retry.remove(givenUp.document());
            rejectedNow.add(givenUp);
        }
        for (BulkOutcome.Rejected rejected : rejectedNow) {
            IndexDocument document = rejected.document();
            try {
                deadLetters.write(SINK, rejected.reason(), document.raw(), document.id());
                deadLettered.incrementAndGet();
            } catch (UncheckedIOException e) {
                // not durable anywhere yet: keep it, so the watermark waits for it
                LOG.error("Cannot dead-letter rejected document {}: {}", document.id(), e.getMessage());
                retry.add(document);
            }
        }
        batch.remaining(retry);
        retriedItems.addAndGet(retry.size());
        if (retry.isEmpty()) {
            problem.recovered();
        } else {
            problem.failed(retry.size() + " of " + sent.size() + " documents held ("
                    + (outcome.retryReason() == null ? "the dead-letter store failed" : outcome.retryReason())
                    + "); re-sending only those", retry.size(), acknowledgedSeq);
        }
    }

    /** The endpoint threw (cluster unreachable, an error answer to the whole request): nothing is acknowledged. */
    public void failed(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception failure,
                       @ExchangeProperty(Headers.BULK_BATCH) BulkBatch batch) {
        batch.failedAttempt();
        if (stopping.getAsBoolean()) {
            failedWhileStopping++;
        }
        problem.failed(IndexFailure.of(failure, endpoint), batch.unsent().size(), acknowledgedSeq);
    }

    /**
     * The route's loop condition: documents remain to send, and Camel is not stopping past its deadline
     * or with a cluster that has already failed {@value #FAILED_REQUESTS_ON_STOP} requests since.
     */
    public boolean unsettled(@ExchangeProperty(Headers.BULK_BATCH) BulkBatch batch) {
        return !batch.settled() && !givingUpOnStop();
    }

    /** The route's delay before the next attempt: 0 when nothing remains, else the backoff for the attempts so far. */
    public long backoffMillis(@ExchangeProperty(Headers.BULK_BATCH) BulkBatch batch) {
        if (batch.settled() || batch.failedAttempts() == 0) {
            return 0;
        }
        long delay = backoff.millisBefore(batch.failedAttempts());
        if (stopping.getAsBoolean()) {
            delay = Math.min(delay, BACKOFF_ON_STOP_MILLIS);
        }
        long deadline = closeDeadline;
        return deadline == 0 ? delay : Math.max(0, Math.min(delay, (deadline - System.nanoTime()) / 1_000_000L));
    }

    /** The last route step: every document of the batch is acknowledged or dead-lettered, so the tracker learns its events. */
    public void commit(@ExchangeProperty(Headers.BULK_BATCH) BulkBatch batch) {
        if (!batch.settled()) {
            LOG.debug("Index: stopped before OpenSearch took every document: events after seq {} (up to {}) are "
                    + "replayed from the checkpoint on the next start", acknowledgedSeq, batch.lastSeq());
            return;
        }
        tracker.handled(SINK, batch.seqs());
        inFlight = null;
        acknowledgedSeq = batch.lastSeq();
        batch.documents().forEach(document -> deliveryListener.accept(document.eventTime()));
        CrashPoint.reached(CrashPoint.INDEX_ACKNOWLEDGED);
    }

    /** Registers who is told the event time of every acknowledged document (null event times included). */
    public void onDelivered(Consumer<Instant> listener) {
        this.deliveryListener = listener;
    }

    /** Test seam: how long a stopping Camel waits for the cluster (10 s by default). */
    void setCloseTimeout(Duration closeTimeout) {
        this.closeTimeout = closeTimeout;
    }

    private void handOut(BulkBatch batch, Exchange exchange) {
        if (batch == null) {
            return;
        }
        if (inFlight != null) {
            // the previous batch's route failed before its commit: its rest goes out first, and one commit covers both.
            // Expected while stopping without the cluster (the summary at the stop counts them), worth a warning otherwise
            if (stopping.getAsBoolean()) {
                LOG.debug("Index: {} was not committed; sending its documents again with the next batch", inFlight);
            } else {
                LOG.warn("Index: {} was not committed; sending its documents again with the next batch", inFlight);
            }
            batch = inFlight.followedBy(batch);
        }
        inFlight = batch;
        exchange.setProperty(Headers.BULK_BATCH, batch);
    }

    private boolean givingUpOnStop() {
        return stopping.getAsBoolean() && (failedWhileStopping >= FAILED_REQUESTS_ON_STOP || pastCloseDeadline());
    }

    private boolean pastCloseDeadline() {
        if (!stopping.getAsBoolean()) {
            return false;
        }
        if (closeDeadline == 0) {
            closeDeadline = System.nanoTime() + closeTimeout.toNanos();
        }
        return System.nanoTime() > closeDeadline;
    }

    /** Documents collected for the next batch (not counting a batch in flight). */
    public int buffered() {
        return pending.size();
    }

    /** The highest sequence number reported as handled to the commit tracker. */
    public long acknowledgedSeq() {
        return acknowledgedSeq;
    }

    public long deadLettered() {
        return deadLettered.get();
    }

    /** Documents re-sent after a retryable per-item rejection. */
    public long retriedItems() {
        return retriedItems.get();
    }

    public long bulkRequests() {
        return bulkRequests.get();
    }

    public OpenSearchEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public String sinkName() {
        return SINK;
    }

    /**
     * Documents this run added to the index: distinct {@code _id}s, as the index counts them (a repeated or
     * replayed event replaces its document and is not counted again).
     */
    @Override
    public long delivered() {
        return created.get();
    }

    /** Documents OpenSearch has acknowledged, new or replacing one with the same {@code _id}. */
    public long acknowledged() {
        return indexed.get();
    }

    /** Events handed to the index and not acknowledged by it (pending or in a batch not committed). */
    public int notIndexed() {
        BulkBatch batch = inFlight;
        return pending.size() + (batch == null ? 0 : batch.unsent().size());
    }

    @Override
    public Optional<String> problem() {
        return problem.current();
    }

    @Override
    protected void doStart() {
        template.install();
    }

    @Override
    protected void doStop() {
        LOG.info("Index closed: {} new documents, {} acknowledged (a repeated meta.id replaces its document), "
                + "{} dead letters, {} items retried, {} bulk requests to {}",
                created.get(), indexed.get(), deadLettered.get(), retriedItems.get(), bulkRequests.get(), endpoint);
        int notIndexed = notIndexed();
        if (notIndexed > 0) {
            LOG.warn("Index: {} events were not indexed before the stop ({}); they are replayed from the checkpoint "
                    + "(after seq {}) on the next start", notIndexed, problem.current().orElse("OpenSearch did not answer in time"),
                    acknowledgedSeq);
        }
    }
}
