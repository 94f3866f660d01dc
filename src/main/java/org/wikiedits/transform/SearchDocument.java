package org.wikiedits.transform;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.util.BufferRecycler;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The search document of the contract: one JSON object per event, indexed with {@code _id} =
 * {@link RecentChange#eventId()}. The mapping ships as {@code opensearch/wikiedits-template.json}.
 */
public final class SearchDocument {

    /** The index (or alias) that receives the documents. */
    public static final String INDEX = "wikiedits";

    /** Written with the streaming generator, field by field: a tree per document was a third of its time. */
    private static final JsonFactory JSON = new JsonFactory();

    private SearchDocument() {
    }

    /** The document's {@code _id}. */
    public static String id(RecentChange rc) {
        return rc.eventId();
    }

    /**
     * The document body as compact JSON, fields in contract order; absent values are left out
     * (an empty string is kept: it is a value in the index). {@code @timestamp} is meta.dt in UTC
     * with milliseconds, the same text as the lake's event_time.
     */
    public static String toJson(RecentChange rc) {
        // as ObjectMapper.writeValueAsString writes: into pooled segments, no StringBuffer between them and the String
        BufferRecycler buffers = JSON._getBufferRecycler();
        SegmentedStringWriter json = new SegmentedStringWriter(buffers);
        try {
            try (JsonGenerator doc = JSON.createGenerator(json)) {
                doc.writeStartObject();
                put(doc, "@timestamp", LakeColumn.formatInstant(rc.eventTime()));
                put(doc, "event_id", rc.eventId());
                put(doc, "wiki", rc.wiki());
                put(doc, "server_name", rc.serverName());
                put(doc, "type", rc.type());
                put(doc, "namespace", rc.namespace());
                put(doc, "title", rc.title());
                put(doc, "user", rc.user());
                put(doc, "bot", rc.bot());
                put(doc, "minor", rc.minor());
                put(doc, "patrolled", rc.patrolled());
                put(doc, "length_old", rc.lengthOld());
                put(doc, "length_new", rc.lengthNew());
                put(doc, "length_delta", lengthDelta(rc));
                put(doc, "revision_new", rc.revisionNew());
                put(doc, "log_type", rc.logType());
                put(doc, "log_action", rc.logAction());
                put(doc, "comment", rc.comment());
                doc.writeEndObject();
            }
            return json.getAndClear();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise a search document", e); // writing to memory does not fail
        } finally {
            buffers.releaseToPool();
        }
    }

    /**
     * Bytes added (negative: removed): {@code length.new - length.old}, with an absent old length
     * read as 0 (a page creation grows from nothing); absent when the new length is unknown
     * (log, categorize and external events carry no lengths).
     */
    static Long lengthDelta(RecentChange rc) {
        if (rc.lengthNew() == null) {
            return null;
        }
        return (long) rc.lengthNew() - (rc.lengthOld() == null ? 0L : rc.lengthOld());
    }

    private static void put(JsonGenerator doc, String field, String value) throws IOException {
        if (value != null) {
            doc.writeStringField(field, value);
        }
    }

    private static void put(JsonGenerator doc, String field, Long value) throws IOException {
        if (value != null) {
            doc.writeNumberField(field, value.longValue());
        }
    }

    private static void put(JsonGenerator doc, String field, Integer value) throws IOException {
        if (value != null) {
            doc.writeNumberField(field, value.intValue());
        }
    }

    private static void put(JsonGenerator doc, String field, Boolean value) throws IOException {
        if (value != null) {
            doc.writeBooleanField(field, value);
        }
    }
}
