package org.wikiedits.source;

/**
 * One event as a source delivers it: the raw event text, untouched, with its position.
 *
 * @param id   the position to resume after: the SSE {@code id:}, the recording's line number, or the
 *             generator's sequence number; {@code null} when an SSE server sends no ids
 * @param type the SSE event type ({@code message} unless the server names another); {@code message}
 *             for recordings and the generator
 * @param data the event's JSON text, exactly as received (bytes that are not UTF-8 as U+FFFD)
 * @param invalidUtf8 the event's bytes as they arrived when they are not valid UTF-8, else {@code null}
 */
public record SourceEvent(String id, String type, String data, byte[] invalidUtf8) {

    /** An event whose text arrived intact. */
    public SourceEvent(String id, String type, String data) {
        this(id, type, data, null);
    }

    /** The SSE default event type, also used by the file and generator sources. */
    public static final String DEFAULT_TYPE = "message";
}
