package org.wikiedits.detect;

import java.time.Duration;
import java.time.Instant;

/**
 * The detectors learn before they speak: no alert until the baseline before the window covers at least
 * {@code span} of event time that they watched. Without it every busy subject would alert on
 * {@code min-events} alone after each start (its usual count still 0). Watching starts at the first event
 * the detectors are given, by its event time, so a replay learns exactly as the live run did. One for all
 * four detectors: a subject's baseline is true from then on, whether or not it had an event since.
 */
final class WarmUp {

    private final Duration span;
    private Instant since;

    WarmUp(Duration span) {
        this.span = span;
    }

    /** Called with every event; the first one's time is when watching started (later, older ones do not move it). */
    void observe(Instant eventTime) {
        if (since == null) {
            since = eventTime;
        }
    }

    /**
     * Whether a window starting at {@code windowStart} has at least the warm-up of watched event time before it
     * (a window starts on a slice boundary, so the first one starts before the first event: 0 needs no check).
     */
    boolean over(Instant windowStart) {
        return span.isZero() || since != null && !windowStart.isBefore(since.plus(span));
    }
}
