package org.wikiedits.commit;

import java.util.Optional;

/** What a sink tells the monitor: its name, how much it has written and what, if anything, is wrong. */
public interface SinkHealth {

    String sinkName();

    /** Events this sink has made durable since start. */
    long delivered();

    /** Why the sink cannot deliver right now (it is retrying), or empty when it is fine. */
    Optional<String> problem();
}
