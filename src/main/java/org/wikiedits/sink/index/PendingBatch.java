package org.wikiedits.sink.index;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The documents collected for the next bulk request, in sequence order. A batch is cut when it
 * holds {@code batchSize} documents ({@link #add}) or when its oldest document has waited the
 * linger time ({@link #cutIfLingered}). Both are called by the index route's one consumer thread,
 * so batches leave in order; only {@link #lingered} is read from the linger timer's thread.
 */
public final class PendingBatch {

    private final int batchSize;
    private final long lingerNanos;
    private final LongSupplier nanoClock;
    private List<IndexDocument> documents = new ArrayList<>();
    private long lastSeq;
    /** When the oldest document arrived (nano clock), or 0 while empty; read by the timer thread. */
    private volatile long oldestArrival;

    /**
     * @param batchSize documents per bulk request ({@code wikiedits.index.batch-size})
     * @param linger how long a partial batch may wait ({@code wikiedits.index.linger-ms})
     */
    public PendingBatch(int batchSize, Duration linger, LongSupplier nanoClock) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("wikiedits.index.batch-size must be at least 1, not " + batchSize);
        }
        if (linger.isNegative()) {
            throw new IllegalArgumentException("wikiedits.index.linger-ms must not be negative, not " + linger.toMillis());
        }
        this.batchSize = batchSize;
        this.lingerNanos = linger.toNanos();
        this.nanoClock = nanoClock;
    }

    /**
     * Adds a document; returns the batch it completes, or null while the batch is not full. The same
     * seq again (a redelivered exchange) is ignored; a lower one is refused, since the commit
     * tracker is told "everything up to the batch's last seq".
     */
    public BulkBatch add(IndexDocument document) {
        if (document.seq() <= lastSeq) {
            if (document.seq() == lastSeq) {
                return null;
            }
            throw new IllegalStateException("index writes must come in sequence order: seq " + document.seq() + " after "
                    + lastSeq + "; feed the index route from one consumer thread (seda concurrentConsumers=1)");
        }
        if (documents.isEmpty()) {
            oldestArrival = Math.max(1, nanoClock.getAsLong());
        }
        documents.add(document);
        lastSeq = document.seq();
        return documents.size() >= batchSize ? cut() : null;
    }

    /** The partial batch once its oldest document has waited the linger time, else null. */
    public BulkBatch cutIfLingered() {
        return lingered() ? cut() : null;
    }

    /** Whatever is collected, now (shutdown); null when empty. */
    public BulkBatch cutAll() {
        return documents.isEmpty() ? null : cut();
    }

    /** Whether a partial batch has waited the linger time: the timer's question, from its own thread. */
    public boolean lingered() {
        long oldest = oldestArrival;
        return oldest != 0 && nanoClock.getAsLong() - oldest >= lingerNanos;
    }

    public int size() {
        return documents.size();
    }

    private BulkBatch cut() {
        BulkBatch batch = new BulkBatch(documents);
        documents = new ArrayList<>(batchSize);
        oldestArrival = 0;
        return batch;
    }
}
