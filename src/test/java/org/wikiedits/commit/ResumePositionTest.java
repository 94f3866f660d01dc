package org.wikiedits.commit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumePositionTest {

    @TempDir
    Path state;

    @Test
    void aFreshStartResumesAfterTheCheckpoint() {
        CheckpointStore store = new CheckpointStore(state, "test");
        store.save("id-7");

        assertThat(new ResumePosition(new CommitTracker(store, List.of("lake"))).lastEventId()).hasValue("id-7");
    }

    @Test
    void aFirstRunWithNothingAdmittedHasNoPosition() {
        CommitTracker tracker = new CommitTracker(new CheckpointStore(state, "test"), List.of("lake"));

        assertThat(new ResumePosition(tracker).lastEventId()).isEmpty();
    }

    @Test
    void aRestartedConsumerResumesAfterTheLastAdmittedEventBeforeAnyCheckpoint() {
        CommitTracker tracker = new CommitTracker(new CheckpointStore(state, "test"), List.of("lake"));
        tracker.admit("id-1");
        tracker.admit("id-2");

        assertThat(new ResumePosition(tracker).lastEventId()).hasValue("id-2");
    }

    @Test
    void theLastAdmittedEventWinsOverAnOlderCheckpoint() {
        CheckpointStore store = new CheckpointStore(state, "test");
        CommitTracker tracker = new CommitTracker(store, List.of("lake"));
        tracker.handled("lake", SeqRuns.of(tracker.admit("id-1")));
        tracker.admit("id-2");
        tracker.admit("id-3");

        assertThat(store.lastEventId()).hasValue("id-1");
        assertThat(new ResumePosition(tracker).lastEventId()).hasValue("id-3");
    }
}
