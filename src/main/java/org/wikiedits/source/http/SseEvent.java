package org.wikiedits.source.http;

/**
 * One dispatched Server-Sent Event.
 *
 * @param id   the last event id at dispatch (the SSE "last event ID buffer"); {@code null} if none was
 *             ever set, possibly inherited from an earlier event, as the SSE specification says
 * @param type the {@code event:} field, or {@code message}
 * @param data the {@code data:} lines joined by {@code \n}
 */
public record SseEvent(String id, String type, String data) {
}
