package org.wikiedits.replay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.wikiedits.commit.CheckpointStore;
import org.wikiedits.commit.CommitTracker;
import org.wikiedits.config.ConfiguredSinks;
import org.wikiedits.sink.lake.EventIdSet;
import org.wikiedits.sink.lake.LakeStorage;
import org.wikiedits.sink.lake.LakeWriter;
import org.wikiedits.sink.lake.LocalLakeStorage;
import org.wikiedits.transform.CsvRow;
import org.wikiedits.transform.LakePartition;
import org.wikiedits.transform.RecentChange;
import org.wikiedits.transform.RecentChangeReader;

/**
 * Replays into the local lake with the app's own {@link LakeWriter}: each row goes to its event-hour
 * partition unless the partition's committed files already hold its {@code meta.id}, in files of its own
 * ({@code part-<time>-<run>-<n>.csv}) that become visible whole by an atomic rename, as the app's do.
 * Beside the running app it never touches the app's pending files: the writer's start-up clean-up of
 * pending files is left out ({@link BesideTheApp}). An id the app holds in a pending, uncommitted file
 * at that moment can end up in both files; {@code compact} removes such repeats.
 */
final class LakeReplay implements ReplaySink<LakeReplay.Row> {

    /** A lake row (CSV, one line) of an event, and its partition {@code dt=YYYY-MM-DD/hour=HH}. */
    record Row(String eventId, String partition, byte[] csv) {
    }

    /** Files are committed when the replay ends (or when one reaches roll-bytes), not by time. */
    private static final long NO_TIMED_ROLL_SECONDS = 365L * 24 * 3600;

    private final LakeWriter writer;

    /**
     * @param dataDir the data folder (its {@code lake/wikiedits/}); no checkpoint is written: nothing is
     *                admitted to the commit tracker the writer reports to
     */
    LakeReplay(Path dataDir, long rollBytes, int dedupePartitions) {
        LakeStorage storage = new BesideTheApp(new LocalLakeStorage(dataDir.resolve("lake").resolve("wikiedits")));
        CommitTracker nothingToCheckpoint = new CommitTracker(new CheckpointStore(dataDir.resolve("state"), "replay-dead-letters"),
                List.of(LakeWriter.SINK));
        this.writer = new LakeWriter(storage, nothingToCheckpoint, NO_TIMED_ROLL_SECONDS, rollBytes, dedupePartitions,
                Clock.systemUTC());
    }

    @Override
    public String name() {
        return ConfiguredSinks.LAKE;
    }

    @Override
    public Row prepare(Letter letter) throws Exception {
        RecentChange rc = RecentChangeReader.read(letter.raw());
        return new Row(rc.eventId(), LakePartition.path(rc.eventTime()), CsvRow.of(rc).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String id(Row row) {
        return row.eventId();
    }

    /** All rows or none: a file that cannot be written or committed fails every row of this call. */
    @Override
    public Map<String, String> send(List<Row> rows) {
        Map<String, String> failed = new LinkedHashMap<>();
        try {
            for (Row row : rows) {
                writer.write(row.partition(), row.eventId(), row.csv(), 1);
            }
            writer.commit();
        } catch (IOException | RuntimeException e) {
            rows.forEach(row -> failed.put(row.eventId(), "cannot write to the lake at " + writer.describe() + ": " + e.getMessage()));
        }
        return failed;
    }

    /** Rows the lake already held (by partition and id) and so were not written again. */
    long alreadyInTheLake() {
        return writer.duplicates();
    }

    @Override
    public void close() {
        // every file was committed by send, or is abandoned because it failed (its pending file is left for the app's clean-up)
    }

    /** A lake storage shared with a running app: the same files, but the app's pending files are not this process's to remove. */
    private record BesideTheApp(LakeStorage storage) implements LakeStorage {

        @Override
        public EventIdSet committedIds(String partition) throws IOException {
            return storage.committedIds(partition);
        }

        @Override
        public PendingFile create(String partition, String fileName) throws IOException {
            return storage.create(partition, fileName);
        }

        @Override
        public int discardPending() {
            return 0;
        }

        @Override
        public void afterVisible(Runnable report) {
            storage.afterVisible(report);
        }

        @Override
        public Optional<String> problem() {
            return storage.problem();
        }

        @Override
        public String describe() {
            return storage.describe();
        }
    }
}
