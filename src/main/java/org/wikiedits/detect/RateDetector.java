package org.wikiedits.detect;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.wikiedits.transform.RecentChange;

/**
 * One detector: counts its events per subject in a sliding window of event time ({@link SlidingCounts})
 * and alerts when a subject's count reaches {@code minEvents} and {@code factor} times its baseline (its
 * own average per window over the baseline before). One alert per subject per {@code cooldown} of event
 * time, and none before the {@link WarmUp} is over. Its memory is fixed: the sketches, and two {@link BoundedRecency} maps (the subject's first event
 * in the window, its last alert).
 */
final class RateDetector {

    /** Subjects remembered for their first event and last alert (the least recently seen go first). */
    static final int SUBJECTS_REMEMBERED = 50_000;

    private record First(String eventId, Instant time) {
    }

    private final String kind;
    private final long minEvents;
    private final long factor;
    private final Duration window;
    private final Duration cooldown;
    private final SlidingCounts counts;
    private final WarmUp warmUp;
    private final BoundedRecency<String, First> firsts = new BoundedRecency<>(SUBJECTS_REMEMBERED);
    private final BoundedRecency<String, Instant> alerted = new BoundedRecency<>(SUBJECTS_REMEMBERED);

    RateDetector(String kind, DetectorSettings.Limits limits, DetectorSettings settings, WarmUp warmUp) {
        this.kind = kind;
        this.minEvents = limits.minEvents();
        this.factor = limits.factor();
        this.window = settings.window();
        this.cooldown = settings.cooldown();
        this.counts = new SlidingCounts(settings.window(), settings.baseline(), settings.sketchWidth());
        this.warmUp = warmUp;
    }

    String kind() {
        return kind;
    }

    /** Counts {@code rc} under {@code subject}; the alert when this event takes the subject over the limits. */
    Optional<Alert> observe(RecentChange rc, Subject subject) {
        Instant time = rc.eventTime();
        if (!counts.add(subject.key(), time)) {
            return Optional.empty();
        }
        Instant windowStart = counts.windowStart();
        First first = firsts.get(subject.key());
        if (first == null || first.time().isBefore(windowStart)) {
            first = new First(rc.eventId(), time);
            firsts.put(subject.key(), first);
        }
        int count = counts.window(subject.key());
        if (count < minEvents || !warmUp.over(windowStart)) {
            return Optional.empty();
        }
        double baseline = counts.baselinePerWindow(subject.key());
        if (count < factor * baseline) {
            return Optional.empty();
        }
        Instant last = alerted.get(subject.key());
        if (last != null && time.isBefore(last.plus(cooldown))) {
            return Optional.empty();
        }
        alerted.put(subject.key(), time);
        double score = Math.round(count / Math.max(baseline, 1.0) * 100) / 100.0;
        double shownBaseline = Math.round(baseline * 100) / 100.0;
        long minutes = window.toMinutes();
        return Optional.of(new Alert(kind + ":" + subject.key() + ":" + windowStart, kind, time.toString(),
                subject.wiki(), subject.serverName(), subject.page(), subject.user(), subject.key(),
                windowStart.toString(), minutes, count, shownBaseline, score, first.eventId(), rc.eventId(),
                subject.link(), subject.historyLink(), Alert.describe(kind, subject.key(), count, shownBaseline, minutes)));
    }

    /** The memory of its counters (fixed) and how many subjects its two maps hold (at most {@link #SUBJECTS_REMEMBERED} each). */
    long sketchBytes() {
        return counts.bytes();
    }

    int subjectsHeld() {
        return Math.max(firsts.size(), alerted.size());
    }
}
