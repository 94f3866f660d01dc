package org.wikiedits.commit;

import java.time.Instant;
import java.util.Optional;

/** Where a source learns, at start-up, the id of the last event the sinks have committed. */
@FunctionalInterface
public interface LastEventIdSource {

    /** The committed position to resume after, or empty on the first run. */
    Optional<String> lastEventId();

    /**
     * When that position was committed, if known: the latest its event can be, which tells whether
     * the stream still keeps it when the id has no timestamp of its own.
     */
    default Optional<Instant> committedAt() {
        return Optional.empty();
    }
}
