package org.wikiedits.source.sse;

import org.apache.camel.spi.Metadata;
import org.wikiedits.commit.Headers;

/**
 * Headers the {@code sse} consumer sets on every exchange; the body is the event's JSON text, unchanged. The
 * component documents them here (Camel's convention); their names are the pipeline's, from {@link Headers}.
 */
public final class SseConstants {

    @Metadata(description = "The event's position, the id a restart resumes after: the SSE id (for Wikimedia a JSON"
            + " array of topic/partition/offset or timestamp), the recording's 1-based line number, or the generator's"
            + " event number. Absent when an SSE server sends no ids.", javaType = "String")
    public static final String EVENT_ID = Headers.SOURCE_POSITION;

    @Metadata(description = "The SSE event type: the event: field, 'message' by default; always 'message' for"
            + " recordings and the generator.", javaType = "String")
    public static final String EVENT_TYPE = Headers.EVENT_TYPE;

    @Metadata(description = "Set only when the event's bytes were not valid UTF-8: those bytes as they arrived (the body"
            + " has U+FFFD in their place).", javaType = "byte[]")
    public static final String INVALID_UTF8 = Headers.INVALID_UTF8;

    private SseConstants() {
    }
}
