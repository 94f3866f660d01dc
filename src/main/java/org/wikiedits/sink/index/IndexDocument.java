package org.wikiedits.sink.index;

import com.fasterxml.jackson.databind.util.RawValue;
import java.util.List;
import org.opensearch.client.opensearch.core.bulk.IndexOperation;
import org.wikiedits.delivery.OutgoingRecord;

/**
 * One search document on its way to the index: its {@code _id} ({@code meta.id}), the document JSON
 * (one line), the original event text for a dead letter, the event's sequence number in the commit
 * protocol.
 */
public record IndexDocument(String id, String json, String raw, long seq) implements OutgoingRecord {

    public IndexDocument {
        if (seq < 1) {
            throw new IllegalArgumentException("index writes need the event's sequence number (header "
                    + org.wikiedits.commit.Headers.SEQ + "), not " + seq);
        }
        if (json.indexOf('\n') >= 0 || json.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a bulk document must be one line of JSON: " + id);
        }
        raw = raw == null ? json : raw;
    }

    /** The index takes a bulk request of any size ({@link IndexSink#LIMITS}): the JSON's length, for the batcher. */
    @Override
    public long size() {
        return json.length();
    }

    /**
     * The body for {@code opensearch:...?operation=Bulk}: one index operation per document, with
     * {@code _id} = {@code meta.id}. The document goes out as the JSON text it is ({@link RawValue}),
     * not parsed and written again.
     */
    public static List<IndexOperation<RawValue>> operations(List<IndexDocument> documents) {
        return documents.stream()
                .map(document -> new IndexOperation.Builder<RawValue>()
                        .id(document.id())
                        .document(new RawValue(document.json()))
                        .build())
                .toList();
    }
}
