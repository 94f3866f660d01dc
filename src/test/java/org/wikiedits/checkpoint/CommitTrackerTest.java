package org.wikiedits.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommitTrackerTest {

    @TempDir
    Path state;

    @Test
    void checkpointAdvancesOnlyToWhatEverySinkHasHandled() {
        CheckpointStore store = new CheckpointStore(state, "http://source");
        CommitTracker tracker = new CommitTracker(store, List.of("lake", "index"));
        long first = tracker.admit("id-1");
        long second = tracker.admit("id-2");
        long third = tracker.admit("id-3");

        tracker.handled("index", third);
        assertThat(store.lastEventId()).isEmpty();

        tracker.handled("lake", first);
        assertThat(store.lastEventId()).contains("id-1");
        assertThat(tracker.uncommitted()).isEqualTo(2);

        tracker.handled("lake", third);
        assertThat(store.lastEventId()).contains("id-3");
        assertThat(tracker.uncommitted()).isZero();
        assertThat(second).isBetween(first, third);
    }

    @Test
    void eventsWithoutAnIdAreCoveredByTheNewestIdBeforeThem() {
        CheckpointStore store = new CheckpointStore(state, "http://source");
        CommitTracker tracker = new CommitTracker(store, List.of("lake"));
        tracker.admit("id-1");
        long anonymous = tracker.admit(null);

        tracker.handled("lake", anonymous);

        assertThat(store.lastEventId()).contains("id-1");
    }

    @Test
    void aSinkReportingAnOlderPositionDoesNotMoveTheCheckpointBack() {
        CheckpointStore store = new CheckpointStore(state, "http://source");
        CommitTracker tracker = new CommitTracker(store, List.of("lake"));
        long first = tracker.admit("id-1");
        long second = tracker.admit("id-2");

        tracker.handled("lake", second);
        tracker.handled("lake", first);

        assertThat(store.lastEventId()).contains("id-2");
    }

    @Test
    void anUnknownSinkIsRejected() {
        CommitTracker tracker = new CommitTracker(new CheckpointStore(state, "s"), List.of("lake"));
        assertThatThrownBy(() -> tracker.handled("index", 1)).hasMessageContaining("unknown sink 'index'");
    }

    @Test
    void aCheckpointOfAnotherSourceIsIgnored() {
        new CheckpointStore(state, "file:recording.ndjson").save("42");

        assertThat(new CheckpointStore(state, "file:recording.ndjson").lastEventId()).contains("42");
        assertThat(new CheckpointStore(state, "https://stream").lastEventId()).isEmpty();
    }

    @Test
    void skippedEventsAfterEverythingHandledMoveTheCheckpointAtOnce() {
        CheckpointStore store = new CheckpointStore(state, "http://source");
        CommitTracker tracker = new CommitTracker(store, List.of("lake", "index"));
        long good = tracker.admit("id-1");
        tracker.handled("lake", good);
        tracker.handled("index", good);
        long canary = tracker.admit("id-2");

        tracker.skipped(canary);

        assertThat(store.lastEventId()).contains("id-2");
        assertThat(tracker.uncommitted()).isZero();
    }

    @Test
    void aSkippedEventWaitsForTheEventsBeforeIt() {
        CheckpointStore store = new CheckpointStore(state, "http://source");
        CommitTracker tracker = new CommitTracker(store, List.of("lake"));
        long good = tracker.admit("id-1");
        long malformed = tracker.admit("id-2");

        tracker.skipped(malformed);
        assertThat(store.lastEventId()).isEmpty();

        tracker.handled("lake", good);
        assertThat(store.lastEventId()).contains("id-2");
    }
}
