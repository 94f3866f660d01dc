package org.wikiedits.source.sse;

import org.apache.camel.spi.Metadata;

/** Headers the {@code sse} consumer sets on every exchange; the body is the event's JSON text, unchanged. */
public final class SseConstants {

    @Metadata(description = "The event's position, the id a restart resumes after: the SSE id (for Wikimedia a JSON"
            + " array of topic/partition/offset or timestamp), the recording's 1-based line number, or the generator's"
            + " event number. Absent when an SSE server sends no ids.", javaType = "String")
    // not "WikieditsEventId": that is the lakeRow step's meta.id header, which dead letters read; the
    // two once shared a name and the index route's dead letters got the SSE position as event_id
    public static final String EVENT_ID = "WikieditsSourcePosition";

    @Metadata(description = "The SSE event type: the event: field, 'message' by default; always 'message' for"
            + " recordings and the generator.", javaType = "String")
    public static final String EVENT_TYPE = "WikieditsEventType";

    @Metadata(description = "Set only when the event's bytes were not valid UTF-8: those bytes as they arrived (the body"
            + " has U+FFFD in their place).", javaType = "byte[]")
    public static final String INVALID_UTF8 = "WikieditsInvalidUtf8";

    private SseConstants() {
    }
}
