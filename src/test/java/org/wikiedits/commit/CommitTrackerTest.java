package org.wikiedits.commit;

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

        tracker.handled("index", SeqRuns.of(first, second, third));
        assertThat(store.lastEventId()).isEmpty();

        tracker.handled("lake", SeqRuns.of(first));
        assertThat(store.lastEventId()).contains("id-1");
        assertThat(tracker.uncommitted()).isEqualTo(2);

        tracker.handled("lake", SeqRuns.of(second, third));
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

        tracker.handled("lake", SeqRuns.of(1, anonymous));

        assertThat(store.lastEventId()).contains("id-1");
    }

    @Test
    void aSinkReportingAnEventAgainDoesNotMoveTheCheckpointBack() {
        CheckpointStore store = new CheckpointStore(state, "http://source");
        CommitTracker tracker = new CommitTracker(store, List.of("lake"));
        long first = tracker.admit("id-1");
        long second = tracker.admit("id-2");

        tracker.handled("lake", SeqRuns.of(first, second));
        tracker.handled("lake", SeqRuns.of(first));

        assertThat(store.lastEventId()).contains("id-2");
    }

    @Test
    void anUnknownSinkIsRejected() {
        CommitTracker tracker = new CommitTracker(new CheckpointStore(state, "s"), List.of("lake"));
        assertThatThrownBy(() -> tracker.handled("index", SeqRuns.of(1))).hasMessageContaining("unknown sink 'index'");
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
        tracker.handled("lake", SeqRuns.of(good));
        tracker.handled("index", SeqRuns.of(good));
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

        tracker.handled("lake", SeqRuns.of(good));
        assertThat(store.lastEventId()).contains("id-2");
    }

    @Test
    void aHaltedTrackerNeverMovesTheCheckpointOntoOrPastTheFailedEvent() {
        CheckpointStore store = new CheckpointStore(state, "http://source");
        CommitTracker tracker = new CommitTracker(store, List.of("lake", "index"));
        tracker.admit("id-1");
        long failed = tracker.admit("id-2");
        long later = tracker.admit("id-3");
        long canary = tracker.admit("id-4");

        tracker.halt(failed, "event #2 could not be stored as a dead letter");
        tracker.handled("lake", SeqRuns.of(1, failed, later));
        tracker.handled("index", SeqRuns.of(1, failed, later));
        tracker.skipped(canary);

        assertThat(store.lastEventId()).contains("id-1");
        assertThat(tracker.halted()).contains("event #2 could not be stored as a dead letter");
        assertThat(tracker.uncommitted()).isEqualTo(3);
    }

    @Test
    void aSinksOwnDeadLetterSettlesTheEventForThatSinkOnly() {
        CheckpointStore store = new CheckpointStore(state, "http://source");
        CommitTracker tracker = new CommitTracker(store, List.of("lake", "index"));
        long first = tracker.admit("id-1");
        long second = tracker.admit("id-2");
        tracker.handled("lake", SeqRuns.of(first));
        tracker.handled("index", SeqRuns.of(first));

        tracker.skipped("lake", second);
        assertThat(store.lastEventId()).as("the index has not acknowledged event 2").contains("id-1");

        tracker.handled("index", SeqRuns.of(second));
        assertThat(store.lastEventId()).contains("id-2");
    }

    @Test
    void aSourceSkipSettlesTheEventForEverySink() {
        CheckpointStore store = new CheckpointStore(state, "http://source");
        CommitTracker tracker = new CommitTracker(store, List.of("lake", "index"));
        long canary = tracker.admit("id-1");

        tracker.skipped(canary);

        assertThat(store.lastEventId()).contains("id-1");
    }

    @Test
    void anEventMadeDurableOutOfOrderMovesTheCheckpointOnlyOnceEveryEventBeforeItIs() {
        CheckpointStore store = new CheckpointStore(state, "http://source");
        CommitTracker tracker = new CommitTracker(store, List.of("lake"));
        long first = tracker.admit("id-1");
        long second = tracker.admit("id-2");
        long third = tracker.admit("id-3");

        tracker.handled("lake", SeqRuns.of(third));
        tracker.handled("lake", SeqRuns.of(second));
        assertThat(store.lastEventId()).as("event 1 is still in flight").isEmpty();
        assertThat(tracker.uncommitted()).isEqualTo(3);

        tracker.handled("lake", SeqRuns.of(first));
        assertThat(store.lastEventId()).contains("id-3");
        assertThat(tracker.uncommitted()).isZero();
    }

    @Test
    void anUnknownSinksSkipIsRejected() {
        CommitTracker tracker = new CommitTracker(new CheckpointStore(state, "s"), List.of("lake"));
        assertThatThrownBy(() -> tracker.skipped("index", 1)).hasMessageContaining("unknown sink 'index'");
        assertThat(tracker.tracks("lake")).isTrue();
        assertThat(tracker.tracks("index")).isFalse();
    }

    @Test
    void aCheckpointThatCouldNotBeSavedIsSavedByTheRetryOnceTheFaultClears() throws Exception {
        CheckpointStore store = new CheckpointStore(state, "http://source");
        CommitTracker tracker = new CommitTracker(store, List.of("lake"));
        long first = tracker.admit("id-1");
        tracker.handled("lake", SeqRuns.of(first));
        // a folder where the save writes its temp file: the save fails, even for root
        java.nio.file.Files.createDirectories(state.resolve("checkpoint.json.tmp").resolve("blocked"));
        long second = tracker.admit("id-2");

        tracker.handled("lake", SeqRuns.of(second));
        tracker.saveIfBehind();

        assertThat(store.lastEventId()).contains("id-1");
        assertThat(tracker.saveProblem()).hasValueSatisfying(problem -> assertThat(problem).contains("cannot save the checkpoint"));

        java.nio.file.Files.delete(state.resolve("checkpoint.json.tmp").resolve("blocked"));
        java.nio.file.Files.delete(state.resolve("checkpoint.json.tmp"));
        tracker.saveIfBehind();

        assertThat(store.lastEventId()).contains("id-2");
        assertThat(tracker.saveProblem()).isEmpty();
    }
}
