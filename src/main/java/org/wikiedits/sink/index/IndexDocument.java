package org.wikiedits.sink.index;

import java.time.Instant;

/**
 * One search document on its way to the index: its {@code _id} ({@code meta.id}), the document JSON
 * (one line), the original event text for a dead letter, the event's sequence number in the commit
 * protocol and its event time (for the end-to-end latency; may be null).
 */
public record IndexDocument(String id, String json, String raw, long seq, Instant eventTime) {

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
}
