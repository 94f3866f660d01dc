package org.wikiedits.replay;

import java.util.List;
import java.util.Map;

/**
 * A sink a replay writes to: it turns a letter into what the sink takes, with the pipeline's own
 * transformation, and sends a batch of those, each {@code meta.id} once.
 *
 * @param <T> what the sink takes (a search document, a lake row)
 */
interface ReplaySink<T> extends AutoCloseable {

    /** {@code lake} or {@code index}, as in {@code wikiedits.sinks}. */
    String name();

    /** The letter as this sink takes it; fails (with a reason to report) when the event cannot be read. */
    T prepare(Letter letter) throws Exception;

    /** The {@code _id} / {@code event_id} by which the sink writes it once. */
    String id(T item);

    /** Sends {@code items} (distinct ids); answers why each id that did not arrive failed (absent: it arrived). */
    Map<String, String> send(List<T> items) throws InterruptedException;
}
