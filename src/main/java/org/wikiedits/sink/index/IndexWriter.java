package org.wikiedits.sink.index;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikiedits.checkpoint.CommitTracker;
import org.wikiedits.checkpoint.CrashPoint;
import org.wikiedits.deadletter.DeadLetterStore;
import org.wikiedits.opensearch.OpenSearchClient;
import org.wikiedits.transform.SearchDocument;

/**
 * Writes search documents to the {@code wikiedits} index in bulk requests, with {@code _id} =
 * {@code meta.id} so that replays overwrite instead of duplicating.
 *
 * <p>Documents collect in a buffer of at most {@code batchSize}; a batch is sent when it is full
 * (by the writing thread) or older than the linger time ({@link #flushIfDue}, from a timer).
 * Only after OpenSearch has accepted every document of a batch, or rejected it for good (then it
 * is in the dead-letter store), does the writer report {@code handled("index", lastSeq)} to the
 * {@link CommitTracker}; the source checkpoint can never pass a document that is not durable in
 * the index ({@code index.translog.durability=request}).
 *
 * <p>Failures: items answered 429, 5xx (or 401/403/404/408/409: permissions, blocks, a missing
 * index, all fixable by an operator) are re-sent alone with exponential backoff; items rejected
 * with another 4xx (a mapping error such as {@code mapper_parsing_exception}) go to the dead-letter
 * store with OpenSearch's reason. An unreachable cluster or an error answer to the whole request
 * is retried without end and without moving the watermark; meanwhile {@link #write} blocks once
 * the buffer is full, so the queue in front fills and holds back the source. Batches are
 * delivered one at a time and in order, which is what makes the cumulative {@code handled} correct.
 *
 * <p>Thread-safety: {@link #write} (one consumer thread, in sequence order) and {@link #flushIfDue}
 * (a timer thread) may run concurrently.
 */
public final class IndexWriter implements AutoCloseable {

    /** The sink name in the commit protocol. */
    public static final String SINK = "index";
    /** The index template, shipped in the jar. */
    public static final String TEMPLATE_RESOURCE = "/opensearch/wikiedits-template.json";

    private static final Logger LOG = LoggerFactory.getLogger(IndexWriter.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEMPLATE_PATH = "/_index_template/" + SearchDocument.INDEX;
    /** The response is trimmed to what the writer reads: per item only status and error. */
    private static final String BULK_PATH = "/" + SearchDocument.INDEX
            + "/_bulk?filter_path=errors,items.*.status,items.*.error";
    private static final long REPEAT_WARNING_NANOS = Duration.ofMinutes(1).toNanos();
    /** Within camel.main.shutdown-timeout (30 s): what is not sent by then is replayed after the restart. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final OpenSearchClient client;
    private final CommitTracker tracker;
    private final DeadLetterStore deadLetters;
    private final int batchSize;
    private final long lingerNanos;
    private final Backoff backoff;
    private final String template;

    /** Guards buffer and highestSeq. */
    private final Object bufferLock = new Object();
    private final ArrayDeque<PendingDocument> buffer = new ArrayDeque<>();
    private long highestSeq;
    /** One delivery at a time, in order: holding it is what makes a batch "in flight". */
    private final ReentrantLock deliveryLock = new ReentrantLock();
    private volatile long acknowledgedSeq;

    /** Waits (backoff, pause) are made on this monitor so that resume and close cut them short. */
    private final Object waits = new Object();
    private volatile boolean paused;
    private volatile boolean closed;
    private volatile long closeDeadline;
    private volatile boolean abandoned;
    private volatile boolean templateInstalled;
    private volatile Duration closeTimeout = CLOSE_TIMEOUT;

    private final AtomicLong indexed = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong retriedItems = new AtomicLong();
    private final AtomicLong bulkRequests = new AtomicLong();

    /**
     * The current failure episode (guarded by {@code waits}). Warnings come at most once a minute,
     * across episodes too, so that steady overload (a few 429s per batch) does not flood the log.
     */
    private volatile String problem;
    /** Told the event time of each acknowledged document (for the end-to-end latency metric). */
    private volatile Consumer<Instant> deliveryListener = eventTime -> { };
    private long problemSince;
    private int problemAttempts;
    private boolean episodeWarned;
    private boolean everWarned;
    private long lastWarningAt;

    public IndexWriter(OpenSearchClient client, CommitTracker tracker, DeadLetterStore deadLetters,
            int batchSize, Duration linger) {
        this(client, tracker, deadLetters, batchSize, linger, Backoff.DEFAULT);
    }

    /**
     * @param batchSize documents per bulk request ({@code wikiedits.index.batch-size}); also the buffer bound
     * @param linger how long a partial batch may wait ({@code wikiedits.index.linger-ms})
     * @param backoff waits between retries
     */
    public IndexWriter(OpenSearchClient client, CommitTracker tracker, DeadLetterStore deadLetters,
            int batchSize, Duration linger, Backoff backoff) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("wikiedits.index.batch-size must be at least 1, not " + batchSize);
        }
        if (linger.isNegative()) {
            throw new IllegalArgumentException("wikiedits.index.linger-ms must not be negative, not " + linger.toMillis());
        }
        this.client = client;
        this.tracker = tracker;
        this.deadLetters = deadLetters;
        this.batchSize = batchSize;
        this.lingerNanos = linger.toNanos();
        this.backoff = backoff;
        this.template = readTemplate();
    }

    /**
     * Installs the index template ({@code PUT _index_template/wikiedits}, idempotent). Fails at
     * once on answers that retrying cannot fix (bad credentials, a rejected template); when the
     * cluster is not reachable yet it logs a warning and installs the template before the first bulk.
     */
    public void start() {
        try {
            OpenSearchClient.Response response = client.putJson(TEMPLATE_PATH, template);
            if (response.isSuccess()) {
                templateInstalled = true;
                LOG.info("Index template '{}' installed on {}", SearchDocument.INDEX, client.endpoint());
                return;
            }
            if (response.status() == 401 || response.status() == 403 || response.status() == 400) {
                throw new IllegalStateException("OpenSearch at " + client.endpoint().url() + " refused the index template: "
                        + describe(response) + hint(response.status()));
            }
            LOG.warn("OpenSearch at {} is not ready for the index template ({}); it is installed before the first bulk",
                    client.endpoint().url(), describe(response));
        } catch (IOException e) {
            LOG.warn("OpenSearch at {} is not reachable yet ({}); the index template is installed before the first bulk",
                    client.endpoint().url(), describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing the index template", e);
        }
    }

    /** Registers who is told the event time of every acknowledged document (null event times included). */
    public void onDelivered(Consumer<Instant> listener) {
        this.deliveryListener = listener;
    }

    /**
     * Buffers a finished search document ({@code json}, {@code _id} = {@code id} = {@code meta.id});
     * sends a bulk when the batch is full, blocking while the index cannot take it. {@code raw} is the
     * original event text for the dead-letter store ({@code null}: the document is stored instead);
     * {@code eventTime} (may be null) times the end-to-end latency.
     */
    public void write(String id, String json, String raw, long seq, Instant eventTime) {
        writeDocument(id, json, raw == null ? json : raw, id, seq, eventTime);
    }

    /** Records that the event {@code seq} needs no document (say, filtered out): it counts as handled. */
    public void skip(long seq) {
        synchronized (bufferLock) {
            checkOpen();
            if (seq > highestSeq) {
                highestSeq = seq;
            }
        }
    }

    /** A prepared document: the seam for tests (and any future caller) that must send JSON as is. */
    void writeDocument(String id, String json, String raw, String eventId, long seq) {
        writeDocument(id, json, raw, eventId, seq, null);
    }

    private void writeDocument(String id, String json, String raw, String eventId, long seq, Instant eventTime) {
        if (seq < 1) {
            throw new IllegalArgumentException("index writes need the event's sequence number (header "
                    + CommitTracker.SEQ_HEADER + "), not " + seq);
        }
        if (json.indexOf('\n') >= 0 || json.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a bulk document must be one line of JSON: " + id);
        }
        PendingDocument document = new PendingDocument(id, json, raw, eventId, seq, System.nanoTime(), eventTime);
        boolean full;
        while (true) {
            synchronized (bufferLock) {
                checkOpen();
                if (seq <= highestSeq) {
                    if (seq == highestSeq) {
                        return; // the same event again (a redelivery after an interrupted write): already taken
                    }
                    throw new IllegalStateException("index writes must come in sequence order: seq " + seq + " after "
                            + highestSeq + "; feed the index writer from one consumer thread (seda concurrentConsumers=1)");
                }
                if (buffer.size() < batchSize) {
                    buffer.addLast(document);
                    highestSeq = seq;
                    full = buffer.size() >= batchSize;
                    break;
                }
            }
            // full while another thread's batch is in flight: wait for it, then send this one
            deliverNextBatch(true);
        }
        if (full) {
            deliverNextBatch(true);
        }
    }

    /**
     * Sends the buffered batch when its oldest document has waited the linger time (and
     * acknowledges skipped events); returns at once when a delivery is already in progress.
     */
    public void flushIfDue() {
        boolean due;
        synchronized (bufferLock) {
            PendingDocument oldest = buffer.peekFirst();
            due = oldest != null ? System.nanoTime() - oldest.arrivedAt() >= lingerNanos : highestSeq > acknowledgedSeq;
        }
        if (due) {
            deliverNextBatch(false);
        }
    }

    /** Sends everything buffered now, blocking until OpenSearch has taken it (tests, shutdown). */
    public void flush() {
        while (hasUndelivered() && !abandoned) {
            deliverNextBatch(true);
        }
    }

    /** Test seam: how long {@link #close} keeps trying (10 s by default). */
    void setCloseTimeout(Duration closeTimeout) {
        this.closeTimeout = closeTimeout;
    }

    /** Test and operations seam: while paused nothing is sent, as if the cluster were down. */
    public void setPaused(boolean paused) {
        this.paused = paused;
        if (!paused) {
            wakeWaiters();
        }
    }

    /**
     * Refuses new writes and sends what is buffered, giving up after 10 s when the cluster is
     * unreachable: what is not acknowledged then is replayed from the checkpoint on the next start.
     */
    @Override
    public void close() {
        synchronized (bufferLock) {
            if (closed) {
                return;
            }
            closeDeadline = System.nanoTime() + closeTimeout.toNanos();
            closed = true;
        }
        wakeWaiters();
        flush();
        if (abandoned || hasUndelivered()) {
            long highest;
            synchronized (bufferLock) {
                highest = highestSeq;
            }
            LOG.warn("Index writer closed before OpenSearch took every document: events after seq {} (up to {}) are "
                    + "replayed from the checkpoint on the next start", acknowledgedSeq, highest);
        }
    }

    private void deliverNextBatch(boolean wait) {
        if (wait) {
            deliveryLock.lock();
        } else if (!deliveryLock.tryLock()) {
            return;
        }
        try {
            if (abandoned) {
                return;
            }
            List<PendingDocument> batch = new ArrayList<>(batchSize);
            long ackSeq;
            synchronized (bufferLock) {
                while (batch.size() < batchSize && !buffer.isEmpty()) {
                    batch.add(buffer.pollFirst());
                }
                // with the buffer drained, skipped events after the last document are covered too
                ackSeq = buffer.isEmpty() ? highestSeq : batch.get(batch.size() - 1).seq();
            }
            if (ackSeq <= acknowledgedSeq && batch.isEmpty()) {
                return;
            }
            try {
                if (deliver(batch)) {
                    tracker.handled(SINK, ackSeq);
                    batch.forEach(document -> deliveryListener.accept(document.eventTime()));
                    acknowledgedSeq = ackSeq;
                    CrashPoint.reached(CrashPoint.INDEX_ACKNOWLEDGED);
                }
            } catch (InterruptedException e) {
                // back in front, in order; items already indexed are re-sent (idempotent by _id)
                requeue(batch);
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing to the index; the batch stays buffered", e);
            }
        } finally {
            deliveryLock.unlock();
        }
    }

    /**
     * Sends {@code batch} until every document is indexed or dead-lettered: true then; false when
     * the writer was closed and its deadline passed first.
     */
    private boolean deliver(List<PendingDocument> batch) throws InterruptedException {
        if (batch.isEmpty()) {
            return true; // only skipped events: nothing to send
        }
        List<PendingDocument> remaining = batch;
        int attempt = 0;
        while (true) {
            awaitResume();
            if (closed && System.nanoTime() > closeDeadline) {
                abandoned = true;
                return false;
            }
            String failure;
            try {
                failure = templateInstalled ? null : installTemplate();
                if (failure == null) {
                    OpenSearchClient.Response response = client.postNdjson(BULK_PATH, bulkBody(remaining));
                    bulkRequests.incrementAndGet();
                    // Honest name: the bulk has been sent AND its response has arrived; OpenSearch may
                    // have made the documents durable, but nothing is processed or acknowledged yet.
                    CrashPoint.reached(CrashPoint.INDEX_BULK_SENT);
                    if (response.isSuccess()) {
                        Settlement settlement = settle(remaining, response.body());
                        List<PendingDocument> retry = settlement.retry();
                        failure = retry.isEmpty() ? null : retry.size() + " of " + remaining.size()
                                + " documents rejected for now (" + settlement.retryReason() + "); re-sending only those";
                        retriedItems.addAndGet(retry.size());
                        remaining = retry;
                    } else {
                        failure = "the bulk request was answered " + describe(response) + hint(response.status());
                    }
                }
            } catch (IOException e) {
                failure = "OpenSearch at " + client.endpoint().url() + " is unreachable (" + describe(e) + ")";
            }
            if (failure == null) {
                recovered();
                return true;
            }
            attempt++;
            failed(failure, remaining.size());
            sleep(backoff.delayMillis(attempt));
        }
    }

    /** What a bulk response leaves to do: the documents to send again, and why the first of them failed. */
    private record Settlement(List<PendingDocument> retry, String retryReason) {
    }

    /**
     * Reads a bulk response: counts what was indexed, dead-letters what was rejected for good and
     * returns the documents to send again.
     */
    private Settlement settle(List<PendingDocument> sent, String body) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IOException("unreadable bulk response: " + e.getOriginalMessage(), e);
        }
        if (!root.path("errors").asBoolean(true)) {
            indexed.addAndGet(sent.size());
            return new Settlement(List.of(), null);
        }
        JsonNode items = root.path("items");
        if (items.size() != sent.size()) {
            throw new IOException("the bulk response has " + items.size() + " items for " + sent.size() + " documents");
        }
        List<PendingDocument> retry = new ArrayList<>();
        String retryReason = null;
        for (int i = 0; i < sent.size(); i++) {
            PendingDocument document = sent.get(i);
            // each item is {"index": {"status": ..., "error": {...}}}
            JsonNode result = items.get(i).elements().hasNext() ? items.get(i).elements().next() : items.get(i);
            int status = result.path("status").asInt(0);
            if (status >= 200 && status < 300) {
                indexed.incrementAndGet();
            } else if (isRetryable(status)) {
                if (retryReason == null) {
                    retryReason = "HTTP " + status + " " + reason(result.path("error"));
                }
                retry.add(document);
            } else {
                try {
                    deadLetters.write(SINK, reason(result.path("error")), document.raw(), document.eventId());
                    deadLettered.incrementAndGet();
                } catch (UncheckedIOException e) {
                    // not durable anywhere yet: keep it, so the watermark waits for it
                    LOG.error("Cannot dead-letter rejected document {}: {}", document.id(), e.getMessage());
                    retry.add(document);
                }
            }
        }
        return new Settlement(retry, retryReason);
    }

    /**
     * Worth retrying: overload (429), server trouble (5xx), and answers an operator can fix without
     * the document changing: credentials or permissions (401/403), a read-only block (403), a
     * missing index with auto-creation off (404), timeouts (408), conflicts (409). Any other 4xx
     * (400 mapping errors) will not change by retrying.
     */
    static boolean isRetryable(int status) {
        return status == 401 || status == 403 || status == 404 || status == 408 || status == 409 || status == 429
                || status >= 500 || status < 400;
    }

    /** OpenSearch's error object as one line: {@code type: reason (caused by type: reason)}. */
    static String reason(JsonNode error) {
        if (error.isMissingNode() || error.isNull()) {
            return "no reason given";
        }
        if (error.isTextual()) {
            return error.asText();
        }
        StringBuilder text = new StringBuilder(error.path("type").asText("error")).append(": ")
                .append(error.path("reason").asText(""));
        JsonNode cause = error.path("caused_by");
        for (int depth = 0; cause.isObject() && depth < 3; depth++, cause = cause.path("caused_by")) {
            text.append(" (caused by ").append(cause.path("type").asText("?")).append(": ")
                    .append(cause.path("reason").asText("")).append(')');
        }
        return text.toString();
    }

    private String installTemplate() throws IOException, InterruptedException {
        OpenSearchClient.Response response = client.putJson(TEMPLATE_PATH, template);
        if (response.isSuccess()) {
            templateInstalled = true;
            LOG.info("Index template '{}' installed on {}", SearchDocument.INDEX, client.endpoint());
            return null;
        }
        return "the index template was refused: " + describe(response) + hint(response.status());
    }

    private String bulkBody(List<PendingDocument> documents) {
        StringBuilder body = new StringBuilder(documents.size() * 700);
        for (PendingDocument document : documents) {
            try {
                body.append("{\"index\":{\"_id\":").append(JSON.writeValueAsString(document.id())).append("}}\n");
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot quote a document id", e);
            }
            body.append(document.json()).append('\n');
        }
        return body.toString();
    }

    private void failed(String failure, int waiting) {
        long now = System.nanoTime();
        synchronized (waits) {
            if (problem == null) {
                problemSince = now;
                problemAttempts = 0;
                episodeWarned = false;
            }
            problemAttempts++;
            problem = failure;
            boolean warningDue = !everWarned || now - lastWarningAt >= REPEAT_WARNING_NANOS;
            if (warningDue && !episodeWarned) {
                LOG.warn("Index: {}. Retrying with backoff; the index watermark stays at seq {} until OpenSearch takes "
                        + "the {} waiting documents", failure, acknowledgedSeq, waiting);
            } else if (warningDue) {
                LOG.warn("Index: still failing after {} attempts in {} s: {} ({} documents waiting, watermark at seq {})",
                        problemAttempts, (now - problemSince) / 1_000_000_000L, failure, waiting, acknowledgedSeq);
            } else {
                LOG.debug("Index: attempt {} failed: {}", problemAttempts, failure);
                return;
            }
            episodeWarned = true;
            everWarned = true;
            lastWarningAt = now;
        }
    }

    private void recovered() {
        synchronized (waits) {
            if (problem != null) {
                long millis = (System.nanoTime() - problemSince) / 1_000_000L;
                if (episodeWarned) {
                    LOG.info("Index: OpenSearch took the batch after {} retries in {} ms", problemAttempts, millis);
                } else {
                    LOG.debug("Index: OpenSearch took the batch after {} retries in {} ms", problemAttempts, millis);
                }
                problem = null;
            }
        }
    }

    private void awaitResume() throws InterruptedException {
        synchronized (waits) {
            while (paused && !(closed && System.nanoTime() > closeDeadline)) {
                waits.wait(100);
            }
        }
    }

    private void sleep(long millis) throws InterruptedException {
        long until = System.nanoTime() + millis * 1_000_000L;
        synchronized (waits) {
            long left;
            while ((left = until - System.nanoTime()) > 0 && !(closed && System.nanoTime() > closeDeadline)) {
                waits.wait(Math.max(1, Math.min(left / 1_000_000L, 100)));
            }
        }
    }

    private void wakeWaiters() {
        synchronized (waits) {
            waits.notifyAll();
        }
    }

    private void requeue(List<PendingDocument> batch) {
        synchronized (bufferLock) {
            for (int i = batch.size() - 1; i >= 0; i--) {
                buffer.addFirst(batch.get(i));
            }
        }
    }

    private boolean hasUndelivered() {
        synchronized (bufferLock) {
            return !buffer.isEmpty() || highestSeq > acknowledgedSeq;
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the index writer is closed");
        }
    }

    private static String describe(OpenSearchClient.Response response) {
        String body = response.body() == null ? "" : response.body().replaceAll("\\s+", " ");
        return "HTTP " + response.status() + (body.isEmpty() ? "" : ": " + (body.length() > 300 ? body.substring(0, 300) + "..." : body));
    }

    private static String describe(IOException e) {
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof HttpTimeoutException) {
            return "timed out";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static String hint(int status) {
        return status == 401 || status == 403
                ? "; check wikiedits.opensearch.username and wikiedits.opensearch.password and the user's permissions"
                : "";
    }

    private static String readTemplate() {
        try (InputStream in = IndexWriter.class.getResourceAsStream(TEMPLATE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the index template " + TEMPLATE_RESOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the index template " + TEMPLATE_RESOURCE, e);
        }
    }

    /** Documents waiting in the buffer (not counting a batch in flight). */
    public int buffered() {
        synchronized (bufferLock) {
            return buffer.size();
        }
    }

    /** Documents OpenSearch has accepted (re-sent replays count again). */
    public long indexed() {
        return indexed.get();
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

    /** The highest sequence number reported as handled to the commit tracker. */
    public long acknowledgedSeq() {
        return acknowledgedSeq;
    }

    /** What currently keeps batches from the index, for health checks; empty while all is well. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    public OpenSearchClient client() {
        return client;
    }

    private record PendingDocument(String id, String json, String raw, String eventId, long seq, long arrivedAt,
            Instant eventTime) {
    }
}
