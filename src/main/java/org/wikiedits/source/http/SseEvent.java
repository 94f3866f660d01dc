package org.wikiedits.source.http;

/**
 * One dispatched Server-Sent Event.
 *
 * @param id          the last event id at dispatch (the SSE "last event ID buffer"); {@code null} if none was
 *                    ever set, possibly inherited from an earlier event, as the SSE specification says
 * @param type        the {@code event:} field, or {@code message}
 * @param data        the {@code data:} lines joined by {@code \n}
 * @param invalidUtf8 when the data lines were not valid UTF-8: their bytes as they arrived, joined by
 *                    {@code \n} ({@code data} then has U+FFFD in their place); else {@code null}
 */
public record SseEvent(String id, String type, String data, byte[] invalidUtf8) {

    /** An event that arrived as valid UTF-8. */
    public SseEvent(String id, String type, String data) {
        this(id, type, data, null);
    }
}
