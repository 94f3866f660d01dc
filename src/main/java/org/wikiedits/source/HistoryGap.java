package org.wikiedits.source;

import java.time.Duration;
import java.time.Instant;

/**
 * History the stream could not give when the source resumed: the events between {@code from} and
 * {@code to} are lost or probably lost (Wikimedia keeps about 7 days of history and silently starts
 * later for an older position). No replay can bring them back from the stream.
 *
 * @param from       the position the source resumed from (the time of the last event it had)
 * @param to         the first event the stream gave, or where its history starts
 * @param detectedAt when the source noticed
 * @param what       the gap in words, for health
 */
public record HistoryGap(Instant from, Instant to, Instant detectedAt, String what) {

    /** How long health reports a gap as DEGRADED: long enough for an alert or a person to see it; the metric and the log keep it. */
    public static final Duration REPORTED_FOR = Duration.ofHours(1);

    public Duration length() {
        return Duration.between(from, to);
    }

    /** Whether health still reports the gap at {@code now}. */
    public boolean reportedAt(Instant now) {
        return now.isBefore(detectedAt.plus(REPORTED_FOR));
    }
}
