package org.wikiedits.sink.index;

import com.fasterxml.jackson.databind.util.RawValue;
import java.util.List;
import org.wikiedits.commit.SeqRuns;
import org.opensearch.client.opensearch.core.bulk.IndexOperation;

/**
 * One batch cut from the {@link PendingBatch}: its documents, the ones still to send (all at first;
 * after a partial failure only the items OpenSearch asked to have again) and how many attempts it
 * took. Once nothing is left to send, the commit tracker learns the events it covers ({@link #seqs}).
 */
public final class BulkBatch {

    private final List<IndexDocument> documents;
    /** Events of an earlier batch that were settled but not yet reported: reported with this one. */
    private final SeqRuns carried;
    private List<IndexDocument> unsent;
    private int failedAttempts;

    public BulkBatch(List<IndexDocument> documents) {
        this(documents, new SeqRuns());
    }

    private BulkBatch(List<IndexDocument> documents, SeqRuns carried) {
        if (documents.isEmpty()) {
            throw new IllegalArgumentException("a bulk batch needs at least one document");
        }
        this.documents = List.copyOf(documents);
        this.carried = carried;
        this.unsent = this.documents;
    }

    /**
     * The body for {@code opensearch:...?operation=Bulk}: one index operation per unsent document, with
     * {@code _id} = {@code meta.id}. The document goes out as the JSON text it is ({@link RawValue}),
     * not parsed and written again.
     */
    public List<IndexOperation<RawValue>> operations() {
        return unsent.stream()
                .map(document -> new IndexOperation.Builder<RawValue>()
                        .id(document.id())
                        .document(new RawValue(document.json()))
                        .build())
                .toList();
    }

    /**
     * This batch's unsent documents followed by {@code next}'s, as one batch up to {@code next}'s last seq:
     * for a batch whose route failed before it was committed, so that its documents go out before later ones.
     */
    BulkBatch followedBy(BulkBatch next) {
        List<IndexDocument> both = new java.util.ArrayList<>(unsent);
        both.addAll(next.documents);
        SeqRuns covered = seqs(); // this batch's acknowledged documents are reported with the new one
        covered.addAll(next.carried);
        return new BulkBatch(both, covered);
    }

    /** The events the batch covers: its documents, and those of an earlier batch it took over. */
    public SeqRuns seqs() {
        SeqRuns seqs = new SeqRuns();
        seqs.addAll(carried);
        documents.forEach(document -> seqs.add(document.seq()));
        return seqs;
    }

    public List<IndexDocument> documents() {
        return documents;
    }

    /** The documents the last attempt left to send (all of them before the first). */
    public List<IndexDocument> unsent() {
        return unsent;
    }

    public boolean settled() {
        return unsent.isEmpty();
    }

    /** Records what remains after an answer; a non-empty remainder counts as a failed attempt. */
    void remaining(List<IndexDocument> retry) {
        this.unsent = List.copyOf(retry);
        if (!retry.isEmpty()) {
            failedAttempts++;
        }
    }

    /** Records an attempt that failed as a whole (nothing acknowledged). */
    void failedAttempt() {
        failedAttempts++;
    }

    /** Attempts that left documents unsent since the batch was cut (0: none yet). */
    public int failedAttempts() {
        return failedAttempts;
    }

    /** The last document's event (for messages). */
    public long lastSeq() {
        return documents.get(documents.size() - 1).seq();
    }

    public int size() {
        return documents.size();
    }

    @Override
    public String toString() {
        return "bulk batch of " + documents.size() + " (seq " + documents.get(0).seq() + ".." + lastSeq() + ", "
                + unsent.size() + " unsent)";
    }
}
