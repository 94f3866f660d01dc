package org.wikiedits.sink.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.commit.CheckpointStore;
import org.wikiedits.commit.CommitTracker;
import org.wikiedits.testing.FaultyFileSystem;
import org.wikiedits.testing.MutableClock;
import org.wikiedits.transform.CsvRow;
import org.wikiedits.transform.LakePartition;
import org.wikiedits.transform.RecentChange;

class LakeWriterTest {

    @TempDir
    Path data;

    private MutableClock clock;
    private CheckpointStore checkpoints;
    private CommitTracker tracker;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
        checkpoints = new CheckpointStore(data.resolve("state"), "test");
        tracker = new CommitTracker(checkpoints, List.of(LakeWriter.SINK));
    }

    private LakeWriter writer(long rollSeconds, long rollBytes) {
        return new LakeWriter(new LocalLakeStorage(data.resolve("lake")), tracker, rollSeconds, rollBytes, 4, clock);
    }

    private static RecentChange event(String id, String dt) {
        return new RecentChange(id, Instant.parse(dt), "en.wikipedia.org", 1L, 2L, "edit", "enwiki", "en.wikipedia.org",
                0, "Title, with \"quotes\"", "user", false, false, null, 10, 20, 1L, 2L, null, null, "comment");
    }

    private void write(LakeWriter writer, RecentChange rc) throws IOException {
        write(writer, rc, tracker.admit(rc.eventId()));
    }

    private static void write(LakeWriter writer, RecentChange rc, long seq) throws IOException {
        writer.write(LakePartition.path(rc.eventTime()), rc.eventId(), CsvRow.of(rc).getBytes(StandardCharsets.UTF_8), seq);
    }

    private List<Path> committedFiles() throws IOException {
        if (!Files.isDirectory(data.resolve("lake"))) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(data.resolve("lake"))) {
            return files.filter(f -> f.toString().endsWith(".csv") && !f.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    private List<String> committedLines() throws IOException {
        return committedFiles().stream().flatMap(f -> {
            try {
                return Files.readAllLines(f, StandardCharsets.UTF_8).stream();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }).collect(Collectors.toList());
    }

    @Test
    void rowsAreInvisibleUntilTheRollTimeThenCommittedIntoTheirEventHourPartition() throws IOException {
        LakeWriter writer = writer(60, 1 << 20);
        RecentChange early = event("a", "2026-11-25T09:59:59.999Z");
        RecentChange late = event("b", "2026-11-25T10:00:00.000Z");
        write(writer, early);
        write(writer, late);
        writer.rollIfDue();
        assertThat(committedFiles()).isEmpty();
        assertThat(checkpoints.lastEventId()).isEmpty();

        clock.advance(Duration.ofSeconds(60));
        writer.rollIfDue();

        assertThat(committedFiles()).extracting(f -> data.resolve("lake").relativize(f.getParent()).toString())
                .containsExactly("dt=2026-11-25/hour=09", "dt=2026-11-25/hour=10");
        assertThat(committedLines()).containsExactlyInAnyOrder(
                CsvRow.of(early).stripTrailing(), CsvRow.of(late).stripTrailing());
        assertThat(checkpoints.lastEventId()).contains("b");
    }

    @Test
    void aFileIsCommittedAsSoonAsItReachesTheRollSize() throws IOException {
        LakeWriter writer = writer(3600, 1);
        write(writer, event("a", "2026-11-25T10:00:00Z"));
        assertThat(committedFiles()).hasSize(1);
        write(writer, event("b", "2026-11-25T10:00:01Z"));
        assertThat(committedFiles()).hasSize(2);
    }

    @Test
    void aRepeatedIdIsWrittenOnceEvenAcrossARestart() throws IOException {
        LakeWriter first = writer(60, 1 << 20);
        write(first, event("a", "2026-11-25T10:00:00Z"));
        write(first, event("a", "2026-11-25T10:00:00Z"));
        first.commit();

        LakeWriter afterRestart = writer(60, 1 << 20);
        write(afterRestart, event("a", "2026-11-25T10:00:00Z"));
        write(afterRestart, event("b", "2026-11-25T10:00:00Z"));
        afterRestart.commit();

        assertThat(committedLines()).extracting(line -> line.substring(0, line.indexOf(','))).containsExactlyInAnyOrder("a", "b");
        assertThat(first.duplicates() + afterRestart.duplicates()).isEqualTo(2);
    }

    @Test
    void pendingFilesLeftByACrashAreDiscardedAtStart() throws IOException {
        LakeWriter crashed = writer(60, 1 << 20);
        write(crashed, event("a", "2026-11-25T10:00:00Z"));
        try (Stream<Path> files = Files.walk(data.resolve("lake"))) {
            assertThat(files.filter(f -> f.toString().endsWith(".inprogress")).count()).isEqualTo(1);
        }

        writer(60, 1 << 20);

        try (Stream<Path> files = Files.walk(data.resolve("lake"))) {
            assertThat(files.filter(f -> f.toString().endsWith(".inprogress")).count()).isZero();
        }
        assertThat(committedFiles()).isEmpty();
    }

    @Test
    void duplicatesAloneStillAdvanceTheCheckpointOnTheNextRoll() throws IOException {
        LakeWriter writer = writer(60, 1 << 20);
        write(writer, event("a", "2026-11-25T10:00:00Z"));
        writer.commit();
        write(writer, new RecentChange("a", Instant.parse("2026-11-25T10:00:00Z"), null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null));
        tracker.admit("last");

        writer.rollIfDue();

        assertThat(checkpoints.lastEventId()).contains("a");
        assertThat(committedFiles()).hasSize(1);
    }

    @Test
    void anIdThatNeedsQuotingIsStillRecognisedAfterARestart() throws IOException {
        LakeWriter first = writer(60, 1 << 20);
        write(first, event("id, with \"comma\"", "2026-11-25T10:00:00Z"));
        first.commit();

        LakeWriter afterRestart = writer(60, 1 << 20);
        write(afterRestart, event("id, with \"comma\"", "2026-11-25T10:00:00Z"));
        afterRestart.commit();

        assertThat(committedLines()).hasSize(1);
        assertThat(afterRestart.duplicates()).isEqualTo(1);
    }

    private LakeWriter writer(FaultyFileSystem fileSystem, long rollSeconds, long rollBytes) {
        return new LakeWriter(new LocalLakeStorage(data.resolve("lake"), fileSystem), tracker, rollSeconds, rollBytes, 4, clock);
    }

    /** As the lake route does: an I/O error is retried (with backoff there) until the write succeeds. */
    private static void writeRetrying(LakeWriter writer, RecentChange rc, long seq, FaultyFileSystem fileSystem,
                                      int failuresBeforeTheDiskFrees) {
        int failures = 0;
        while (true) {
            try {
                writer.write(LakePartition.path(rc.eventTime()), rc.eventId(), CsvRow.of(rc).getBytes(StandardCharsets.UTF_8), seq);
                return;
            } catch (IOException e) {
                if (++failures >= failuresBeforeTheDiskFrees) {
                    fileSystem.diskFull(false);
                }
            }
        }
    }

    @Test
    void aFullDiskLosesNoEventTheRetriedWritesLandOnceAndTheCheckpointNeverPassesAMissingRow() throws IOException {
        FaultyFileSystem fileSystem = new FaultyFileSystem();
        LakeWriter writer = writer(fileSystem, 60, 4096); // small files: commits (fsync, rename) happen under the fault too
        List<String> ids = new java.util.ArrayList<>();
        for (int n = 0; n < 300; n++) {
            RecentChange rc = event(String.format("id-%04d", n), "2026-11-25T10:" + String.format("%02d", n % 60) + ":00Z");
            ids.add(rc.eventId());
            if (n % 23 == 4) {
                fileSystem.diskFull(true);
            }
            writeRetrying(writer, rc, tracker.admit(rc.eventId()), fileSystem, 3);
            String checkpoint = checkpoints.lastEventId().orElse(null);
            if (checkpoint != null) {
                assertThat(committedLines()).extracting(line -> line.substring(0, line.indexOf(',')))
                        .as("everything up to the checkpoint is in a committed file").contains(checkpoint);
            }
        }
        writer.commit();

        assertThat(fileSystem.failedWrites()).isPositive();
        List<String> lake = committedLines().stream().map(line -> line.substring(0, line.indexOf(','))).toList();
        assertThat(lake).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
        assertThat(committedLines()).allSatisfy(line -> assertThat(line).endsWith(",comment"));
        assertThat(writer.duplicates()).isZero();
        assertThat(checkpoints.lastEventId()).contains("id-0299");
    }

    /**
     * Rows reach the file only when the append buffer ({@link AtomicAppendFile}, 64 KiB) flushes: with a
     * large roll size the disk fills up exactly during an append. The event whose append failed must not
     * count as seen, or its retry is taken for a duplicate and the row is lost.
     */
    @Test
    void anIdIsMarkedSeenOnlyAfterItsRowIsWrittenSoTheRetryOfAnAppendThatHitAFullDiskLandsOnce() throws IOException {
        FaultyFileSystem fileSystem = new FaultyFileSystem();
        LakeWriter writer = writer(fileSystem, 60, 64L << 20);
        fileSystem.diskFull(true);
        List<String> ids = new java.util.ArrayList<>();
        RecentChange failed = null;
        for (int n = 0; failed == null; n++) {
            RecentChange rc = event(String.format("id-%05d", n), "2026-11-25T10:00:00Z");
            try {
                writer.write(LakePartition.path(rc.eventTime()), rc.eventId(), CsvRow.of(rc).getBytes(StandardCharsets.UTF_8),
                        tracker.admit(rc.eventId()));
                ids.add(rc.eventId());
            } catch (IOException diskFull) {
                failed = rc;
            }
        }
        assertThat(fileSystem.failedWrites()).as("the append itself met the full disk").isPositive();

        fileSystem.diskFull(false);
        writeRetrying(writer, failed, tracker.lastAdmitted(), fileSystem, 1);
        ids.add(failed.eventId());
        writer.commit();

        assertThat(writer.duplicates()).as("the retried row is no duplicate").isZero();
        assertThat(committedLines()).extracting(line -> line.substring(0, line.indexOf(',')))
                .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
        assertThat(checkpoints.lastEventId()).contains(failed.eventId());
    }

    @Test
    void aFailedRenameIsRetriedByTheNextRollAndNothingIsLostOrRepeated() throws IOException {
        FaultyFileSystem fileSystem = new FaultyFileSystem();
        LakeWriter writer = writer(fileSystem, 60, 1 << 20);
        write(writer, event("a", "2026-11-25T10:00:00Z"));
        write(writer, event("b", "2026-11-25T11:00:00Z"));
        fileSystem.renameFails(true);
        clock.advance(Duration.ofSeconds(60));

        org.assertj.core.api.Assertions.assertThatThrownBy(writer::rollIfDue).isInstanceOf(IOException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(writer::rollIfDue).isInstanceOf(IOException.class);
        assertThat(checkpoints.lastEventId()).isEmpty();
        RecentChange c = event("c", "2026-11-25T11:00:01Z");
        long cSeq = tracker.admit(c.eventId());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> write(writer, c, cSeq))
                .as("no event is taken while the lake cannot commit").isInstanceOf(IOException.class);

        fileSystem.renameFails(false);
        assertThat(writer.rollIfDue()).isTrue();
        write(writer, c, cSeq); // the route's retry: the same exchange, the same seq
        writer.commit();

        assertThat(fileSystem.failedRenames()).isGreaterThanOrEqualTo(3);
        assertThat(committedLines()).extracting(line -> line.substring(0, line.indexOf(','))).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(checkpoints.lastEventId()).contains("c");
    }
}
