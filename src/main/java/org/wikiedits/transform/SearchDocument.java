package org.wikiedits.transform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The search document of the contract: one JSON object per event, indexed with {@code _id} =
 * {@link RecentChange#eventId()}. The mapping ships as {@code opensearch/wikiedits-template.json}.
 */
public final class SearchDocument {

    /** The index (or alias) that receives the documents. */
    public static final String INDEX = "wikiedits";

    private static final ObjectMapper MAPPER = new ObjectMapper();

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
        ObjectNode doc = MAPPER.createObjectNode();
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
        Long delta = lengthDelta(rc);
        if (delta != null) {
            doc.put("length_delta", delta);
        }
        put(doc, "revision_new", rc.revisionNew());
        put(doc, "log_type", rc.logType());
        put(doc, "log_action", rc.logAction());
        put(doc, "comment", rc.comment());
        try {
            return MAPPER.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a search document", e);
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

    private static void put(ObjectNode doc, String field, Object value) {
        if (value == null) {
            return;
        }
        if (value instanceof String s) {
            doc.put(field, s);
        } else if (value instanceof Integer i) {
            doc.put(field, i);
        } else if (value instanceof Long l) {
            doc.put(field, l);
        } else if (value instanceof Boolean b) {
            doc.put(field, b);
        } else {
            doc.put(field, value.toString());
        }
    }
}
