package org.wikiedits.sink.index;

import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
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
import org.wikiedits.commit.Headers;
import org.wikiedits.commit.LastInQueue;
import org.wikiedits.commit.SinkHealth;
import org.wikiedits.config.BatchLimits;
import org.wikiedits.delivery.Backoff;
import org.wikiedits.delivery.Batch;
import org.wikiedits.delivery.Delivery;
import org.wikiedits.delivery.EventBatches;
import org.wikiedits.delivery.GiveUpOnStop;
import org.wikiedits.delivery.RecordBatcher;
import org.wikiedits.delivery.Settlement;

/**
 * The index routes' bean ({@code indexSink}, {@code awsIndexSink}): the index's destination adapter over the one
 * delivery core ({@link Delivery}), the domain steps around the {@code opensearch:} Bulk endpoint. In route order:
 * <ol>
 *   <li>{@link #add} / {@link #flush}: collect documents ({@link EventBatches}) and hand out a finished
 *       {@link Batch} in the exchange property {@value Headers#BULK_BATCH} (when full, or on a flush tick once the
 *       oldest has waited the linger time; {@link #tickDue} asks for ticks);</li>
 *   <li>{@link #bulkRequest}: the endpoint's body, the batch's unsent documents as index operations;</li>
 *   <li>{@link #settle} (the endpoint answered) or {@link #failed} (it threw): the index's settle rule. Acknowledged
 *       items count, items refused for what the document is go to the dead-letter store, items refused for the
 *       index's or the cluster's sake stay unsent ({@link BulkOutcome}, {@link RefusalKind}), as do items refused
 *       with a type not classified here, unless singled out by it for ten minutes ({@link UnclassifiedRefusals});</li>
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
    /** A bulk request takes any number of documents of any size: only {@code wikiedits.index.batch-size} cuts it. */
    public static final BatchLimits LIMITS = new BatchLimits("OpenSearch", "Bulk", Integer.MAX_VALUE, Long.MAX_VALUE,
            Long.MAX_VALUE);

    /** 200 ms doubling to 30 s between attempts: quick after a blip, gentle on a cluster that is down for long. */
    public static final Backoff RETRY = new Backoff(200, 30_000);

    private static final Logger LOG = LoggerFactory.getLogger(IndexSink.class);
    /** Within camel.main.shutdown-timeout (30 s): what is not sent by then is replayed after the restart. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** While Camel stops, a cluster that failed this many requests is not waited for any longer. */
    private static final int FAILED_REQUESTS_ON_STOP = 2;
    /** While Camel stops, the longest wait between attempts. */
    private static final Duration BACKOFF_ON_STOP = Duration.ofMillis(500);
    /** A tick the consumer has not taken for this long is assumed lost (its send failed): ask for another. */
    private static final long TICK_LOST_NANOS = Duration.ofSeconds(30).toNanos();

    private final EventBatches<IndexDocument> batches;
    private final Delivery<IndexDocument> delivery;
    private final IndexTemplate template;
    private final OpenSearchEndpoint endpoint;
    private final IndexProblem problem = new IndexProblem();
    private final UnclassifiedRefusals unclassified;
    /** When the last tick was asked for (nano clock), 0 when none waits in the queue. */
    private volatile long tickAskedAt;
    private final AtomicLong created = new AtomicLong();

    /**
     * @param batchSize documents per bulk request ({@code wikiedits.index.batch-size})
     * @param linger    how long a partial batch may wait ({@code wikiedits.index.linger-ms})
     * @param stopping  whether Camel is stopping: a batch the cluster does not take within 10 s of that, or
     *                  after two more failed requests, is given up (not committed, so replayed after the restart)
     * @param clock     times the ten-minute rule of refusals of an unclassified type
     */
    public IndexSink(int batchSize, Duration linger, IndexTemplate template, CommitTracker tracker,
                     DeadLetterStore deadLetters, OpenSearchEndpoint endpoint, Backoff backoff, BooleanSupplier stopping,
                     Clock clock) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("wikiedits.index.batch-size must be at least 1, not " + batchSize);
        }
        if (linger.isNegative()) {
            throw new IllegalArgumentException("wikiedits.index.linger-ms must not be negative, not " + linger.toMillis());
        }
        this.batches = new EventBatches<>(SINK, new RecordBatcher<>(LIMITS, batchSize, LIMITS.maxRequestBytes(),
                linger.toMillis()), deadLetters, () -> System.nanoTime() / 1_000_000L, stopping);
        this.delivery = new Delivery<>(SINK, backoff, GiveUpOnStop.afterFailedRequests(stopping, FAILED_REQUESTS_ON_STOP,
                CLOSE_TIMEOUT, BACKOFF_ON_STOP), (document, reason) -> deadLetter(deadLetters, document, reason), tracker);
        this.template = template;
        this.endpoint = endpoint;
        this.unclassified = new UnclassifiedRefusals(clock);
    }

    /**
     * Route step after {@code searchDocument}: adds the document; when that fills the batch (or Camel is
     * stopping and the queue is drained), the batch goes into {@value Headers#BULK_BATCH}. The original text,
     * when present, is what a dead letter keeps.
     */
    public void add(@Body String document, @Header(Headers.DOCUMENT_ID) String id,
                    @Header(Headers.SEQ) long seq, @ExchangeProperty(Headers.RAW) String raw,
                    Exchange exchange) {
        IndexDocument indexDocument = new IndexDocument(id, document, raw, seq);
        // while Camel stops, the events queued behind the last flush tick go out once the queue is drained
        handOut(batches.addRecord(indexDocument, indexDocument.raw(), id, LastInQueue.test(exchange)), exchange);
    }

    /**
     * Route step for a flush tick ({@link Headers#FLUSH}): hands out the partial batch once its oldest
     * document has waited the linger time ({@link Headers#FLUSH_DUE}), or at once when Camel stops
     * ({@link Headers#FLUSH_ALL}, or any tick while stopping).
     */
    public void flush(@Header(Headers.FLUSH) String which, Exchange exchange) {
        tickAskedAt = 0;
        handOut(batches.flush(which), exchange);
    }

    /** For the linger timer (its own thread): whether to put a flush tick in the queue now (at most one waits there). */
    public boolean tickDue() {
        long asked = tickAskedAt;
        if (!batches.lingered() || asked != 0 && System.nanoTime() - asked < TICK_LOST_NANOS) {
            return false;
        }
        tickAskedAt = Math.max(1, System.nanoTime());
        return true;
    }

    /** The body for the Bulk endpoint: the batch's unsent documents; installs the template first if the start could not. */
    public List<IndexOperation<RawValue>> bulkRequest(@ExchangeProperty(Headers.BULK_BATCH) Batch<IndexDocument> batch)
            throws IOException {
        template.ensureInstalled();
        return IndexDocument.operations(batch.unsent());
    }

    /**
     * The endpoint answered (body: {@code BulkResponse.items()}): the index's settle rule. Counts, dead-letters what
     * was refused for what the document is (or singled out with an unclassified type for ten minutes), and keeps the
     * held rest to re-send.
     */
    public void settle(@Body List<BulkResponseItem> items, @ExchangeProperty(Headers.BULK_BATCH) Batch<IndexDocument> batch) {
        // Honest name: the bulk has been sent AND its answer has arrived; nothing is acknowledged yet
        CrashPoint.reached(CrashPoint.INDEX_BULK_SENT);
        List<IndexDocument> sent = batch.unsent();
        BulkOutcome outcome = BulkOutcome.of(sent, items);
        created.addAndGet(outcome.created());
        List<IndexDocument> held = new ArrayList<>(outcome.retry());
        List<Settlement.Refused<IndexDocument>> refused = new ArrayList<>();
        outcome.rejected().forEach(rejected -> refused.add(new Settlement.Refused<>(rejected.document(), rejected.reason())));
        for (BulkOutcome.Rejected givenUp : unclassified.giveUp(outcome)) {
            held.remove(givenUp.document());
            refused.add(new Settlement.Refused<>(givenUp.document(), givenUp.reason()));
        }
        List<IndexDocument> unsent = delivery.settle(batch,
                new Settlement<>(outcome.acknowledged(), refused, held, outcome.retryReason()));
        if (unsent.isEmpty()) {
            problem.recovered();
        } else {
            problem.failed(unsent.size() + " of " + sent.size() + " documents held ("
                    + (outcome.retryReason() == null ? "the dead-letter store failed" : outcome.retryReason())
                    + "); re-sending only those", unsent.size(), delivery.acknowledgedSeq());
        }
    }

    /** The endpoint threw (cluster unreachable, an error answer to the whole request): nothing is acknowledged. */
    public void failed(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception failure,
                       @ExchangeProperty(Headers.BULK_BATCH) Batch<IndexDocument> batch) {
        delivery.failed(batch);
        problem.failed(IndexFailure.of(failure, endpoint), batch.unsent().size(), delivery.acknowledgedSeq());
    }

    /**
     * The route's loop condition: documents remain to send, and Camel is not stopping past its deadline
     * or with a cluster that has already failed {@value #FAILED_REQUESTS_ON_STOP} requests since.
     */
    public boolean unsettled(@ExchangeProperty(Headers.BULK_BATCH) Batch<IndexDocument> batch) {
        return !batch.settled() && !delivery.givingUp(batch);
    }

    /** The route's delay before the next attempt: 0 when nothing remains, else the backoff for the attempts so far. */
    public long backoffMillis(@ExchangeProperty(Headers.BULK_BATCH) Batch<IndexDocument> batch) {
        return delivery.backoffMillis(batch);
    }

    /** The last route step: every document of the batch is acknowledged or dead-lettered, so the tracker learns its events. */
    public void commit(@ExchangeProperty(Headers.BULK_BATCH) Batch<IndexDocument> batch) {
        if (!batch.settled()) {
            LOG.debug("Index: stopped before OpenSearch took every document: events after seq {} (up to {}) are "
                    + "replayed from the checkpoint on the next start", delivery.acknowledgedSeq(), batch.lastSeq());
            return;
        }
        delivery.acknowledge(batch);
        CrashPoint.reached(CrashPoint.INDEX_ACKNOWLEDGED);
    }

    /** Test seam: how long a stopping Camel waits for the cluster (10 s by default). */
    void setCloseTimeout(Duration closeTimeout) {
        delivery.setCloseTimeout(closeTimeout);
    }

    private void handOut(List<Batch<IndexDocument>> ready, Exchange exchange) {
        if (ready.isEmpty()) {
            return;
        }
        // no byte limit: at most one batch is ready at a time
        Batch<IndexDocument> batch = delivery.handOut(ready.get(0), failed -> {
            // the previous batch's route failed before its commit: its rest goes out first, and one commit covers both.
            // Expected while stopping without the cluster (the summary at the stop counts them), worth a warning otherwise
            if (delivery.stopping()) {
                LOG.debug("Index: bulk {} was not committed; sending its documents again with the next batch", failed);
            } else {
                LOG.warn("Index: bulk {} was not committed; sending its documents again with the next batch", failed);
            }
        });
        exchange.setProperty(Headers.BULK_BATCH, batch);
    }

    private static boolean deadLetter(DeadLetterStore deadLetters, IndexDocument document, String reason) {
        try {
            deadLetters.write(SINK, reason, document.raw(), document.id());
            return true;
        } catch (UncheckedIOException e) {
            // not durable anywhere yet: keep it, so the watermark waits for it
            LOG.error("Cannot dead-letter rejected document {}: {}", document.id(), e.getMessage());
            return false;
        }
    }

    /** Documents collected for the next batch (not counting a batch in flight). */
    public int buffered() {
        return batches.pendingRecords();
    }

    /** The highest sequence number reported as handled to the commit tracker. */
    public long acknowledgedSeq() {
        return delivery.acknowledgedSeq();
    }

    public long deadLettered() {
        return delivery.deadLettered();
    }

    /** Documents re-sent after a retryable per-item rejection. */
    public long retriedItems() {
        return delivery.resent();
    }

    public long bulkRequests() {
        return delivery.requests();
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
        return delivery.delivered();
    }

    /** Events handed to the index and not acknowledged by it (pending or in a batch not committed). */
    public int notIndexed() {
        return batches.pendingRecords() + delivery.unsentInFlight();
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
                created.get(), acknowledged(), deadLettered(), retriedItems(), bulkRequests(), endpoint);
        int notIndexed = notIndexed();
        if (notIndexed > 0) {
            LOG.warn("Index: {} events were not indexed before the stop ({}); they are replayed from the checkpoint "
                    + "(after seq {}) on the next start", notIndexed, problem.current().orElse("OpenSearch did not answer in time"),
                    acknowledgedSeq());
        }
    }
}
