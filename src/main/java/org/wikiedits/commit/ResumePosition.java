package org.wikiedits.commit;

import java.util.Optional;

/**
 * Where the source ({@code #resumePosition} in routes/source.camel.yaml) resumes each time its consumer
 * starts: after the last event admitted in this process, else after the checkpoint (a fresh start).
 *
 * <p>A consumer starts again within a process when its route is replaced (hot reload of
 * routes/source.camel.yaml). Asking the checkpoint then would go back to an older position, or, before the
 * first checkpoint, to none at all: a replay of the whole recording, or against the live stream a start
 * at "now" that skips what was published during the reload. Resuming after the last admitted event is
 * exactly-once safe: the reload holds the intake gate (org.wikiedits.reload.IntakeGate) until every
 * admitted event has left the source route for the sinks, whose routes keep running and commit them as
 * usual, moving the checkpoint; the event the old consumer had read but the gate held is dropped
 * before it is admitted, so the new consumer reads it again. If the process dies before the sinks
 * commit, the next process has no admitted events and resumes from the checkpoint, and the sinks
 * absorb the replay by {@code meta.id}, as after any crash.
 */
public final class ResumePosition implements LastEventIdSource {

    private final CommitTracker tracker;

    public ResumePosition(CommitTracker tracker) {
        this.tracker = tracker;
    }

    @Override
    public Optional<String> lastEventId() {
        Optional<String> admitted = tracker.lastAdmittedId();
        return admitted.isPresent() ? admitted : tracker.store().lastEventId();
    }
}
