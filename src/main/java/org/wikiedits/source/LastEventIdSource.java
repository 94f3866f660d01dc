package org.wikiedits.source;

import java.util.Optional;

/** Where a source learns, at start-up, the id of the last event the sinks have committed. */
@FunctionalInterface
public interface LastEventIdSource {

    /** The committed position to resume after, or empty on the first run. */
    Optional<String> lastEventId();
}
