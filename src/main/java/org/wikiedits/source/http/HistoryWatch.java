package org.wikiedits.source.http;

import static org.wikiedits.config.HumanDuration.format;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikiedits.source.HistoryGap;

/**
 * Watches the stream's position for history the stream no longer has. Wikimedia keeps about
 * {@link #HISTORY_KEPT} and silently starts later when asked for an older or unknown position, so
 * the events in between are gone without an error. Two checks, each logged once at WARN and kept as
 * the {@link HistoryGap} that health and metrics read: before every connection, a position older
 * than the stream keeps (the events up to where its history starts are probably lost); and the
 * first event the stream gives after the start, when it is much later than the position resumed from
 * (the events in between are lost). Later reconnects resume a position seconds old, which the stream
 * keeps; comparing their first event too would call a quiet minute of a small stream a gap. Not
 * thread-safe: the stream's reading thread calls it; {@link #gap} may be read from any thread.
 */
final class HistoryWatch {

    /** The stream's own logger: these lines belong with its connect and reconnect lines. */
    private static final Logger LOG = LoggerFactory.getLogger(SseHttpStream.class);

    /** How much history Wikimedia's streams keep. */
    static final Duration HISTORY_KEPT = Duration.ofDays(7);

    private final String shownTarget;
    /** The newest event time known at the position the next connection resumes from, or null. */
    private Instant position;
    /** Where the position came from, for the log: "the checkpoint", "since". */
    private String positionFrom;
    private Instant warnedPosition;
    private boolean awaitingFirstEvent = true;
    /** The time of the last event delivered after the first, not read yet. */
    private Supplier<Instant> lastEventTime;
    private volatile HistoryGap gap;

    /**
     * @param position     the time of the position the stream starts from, if known
     * @param positionFrom where that time comes from, for the log
     */
    HistoryWatch(String shownTarget, Optional<Instant> position, String positionFrom) {
        this.shownTarget = shownTarget;
        this.position = position.orElse(null);
        this.positionFrom = positionFrom;
    }

    /** Before each connection: a position older than the stream keeps is reported (once per position). */
    void beforeConnect(Instant now) {
        moveToLastEvent();
        Instant historyStart = now.minus(HISTORY_KEPT);
        if (position == null || !position.isBefore(historyStart) || position.equals(warnedPosition)) {
            return;
        }
        warnedPosition = position;
        gap = new HistoryGap(position, historyStart, now, "resuming from " + position + " (" + positionFrom
                + "), older than the 7 days of history the stream keeps: the events up to " + historyStart
                + " are probably lost");
        LOG.warn("Resuming {} from {} ({}, {} ago), but the stream keeps only about 7 days of history: events between {} and {}"
                        + " are probably lost and cannot be read from it any more. The pipeline goes on from the oldest"
                        + " event the stream still has; health is DEGRADED for {} and wikiedits_source_history_gap_seconds"
                        + " says how much is missing. To start from 'now' instead, stop the app and move the checkpoint"
                        + " (<data>/state/checkpoint.json) away; to fill the gap, use another copy of those days (Wikimedia's dumps).",
                shownTarget, position, positionFrom, format(Duration.between(position, now)), position, historyStart,
                format(HistoryGap.REPORTED_FOR));
    }

    /**
     * Each event the stream delivered, with its time ({@code null} when it has none), read only when needed: for
     * the first event with a time, which is compared with the position started from, and for the last event
     * before a reconnect, which moves the position on ({@link #beforeConnect}). Reading every event's time (a
     * JSON parse of its id or its data) cost the source thread about a seventh of its time.
     */
    void delivered(Supplier<Instant> eventTime, Instant now) {
        if (!awaitingFirstEvent) {
            lastEventTime = eventTime;
            return;
        }
        Instant time = eventTime.get();
        if (time == null) {
            return;
        }
        awaitingFirstEvent = false;
        if (position != null) {
            Instant from = position;
            Since.gap(from, time).ifPresent(missing -> reportMissing(from, time, missing, now));
        }
        moveTo(time);
    }

    /** {@link #delivered(Supplier, Instant)} with a time at hand. */
    void delivered(Instant eventTime, Instant now) {
        delivered(() -> eventTime, now);
    }

    /** The position moves to the last event read, unless that one is older (a replay) or has no time. */
    private void moveToLastEvent() {
        Supplier<Instant> last = lastEventTime;
        lastEventTime = null;
        Instant time = last == null ? null : last.get();
        if (time != null) {
            moveTo(time);
        }
    }

    private void moveTo(Instant eventTime) {
        if (position == null || eventTime.isAfter(position)) {
            position = eventTime;
            positionFrom = "the last event read";
        }
    }

    private void reportMissing(Instant from, Instant first, Duration missing, Instant now) {
        gap = new HistoryGap(from, first, now, "resumed at " + from + " but the stream started at " + first
                + ": the " + format(missing) + " in between are lost (the stream keeps about 7 days of history)");
        LOG.warn("Resumed {} at {} ({}), but the first event is from {}: {} of history are missing."
                        + " Wikimedia keeps about 7 days and silently starts later for an older or unknown position;"
                        + " health is DEGRADED for {}.",
                shownTarget, from, positionFrom, first, format(missing), format(HistoryGap.REPORTED_FOR));
    }

    /** The last gap found, if any. */
    Optional<HistoryGap> gap() {
        return Optional.ofNullable(gap);
    }
}
