package org.wikiedits.sink.lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikiedits.commit.CommitTracker;
import org.wikiedits.commit.CrashPoint;
import org.wikiedits.commit.SeqRuns;
import org.wikiedits.config.SettingValues;

/**
 * Writes finished lake rows into the CSV lake, partitioned by event hour, each {@code meta.id} once.
 *
 * <p>Rows are appended to one pending file per partition. When the oldest pending file reaches
 * {@code rollSeconds} or any reaches {@code rollBytes}, all pending files are committed, and once the
 * storage has made them visible (a local rename at once; on S3 when the uploads are acknowledged) the
 * commit tracker learns which events are durable: those taken so far, by their sequence numbers (not
 * "everything up to the highest", so an event overtaken in a concurrent route is never passed).
 *
 * <p>Deduplication: replays and repeated ids share {@code meta.dt}, so they fall in the same
 * partition. Each partition keeps the set of its ids, rebuilt from its committed files when first
 * touched after a start; the least recently used partitions are evicted. No global ever-growing
 * set, and arrival order does not matter.
 */
public final class LakeWriter {

    public static final String SINK = "lake";

    private static final Logger LOG = LoggerFactory.getLogger(LakeWriter.class);
    private static final DateTimeFormatter FILE_STAMP =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

    private final LakeStorage storage;
    private final CommitTracker tracker;
    private final long rollMillis;
    private final long rollBytes;
    private final Clock clock;
    private final Map<String, EventIdSet> idsByPartition;
    private final Map<String, LakeStorage.PendingFile> pending = new LinkedHashMap<>();
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong committedFiles = new AtomicLong();
    private final AtomicLong committedRows = new AtomicLong();
    private long pendingRows;
    private long filesSinceReport;
    private long fileCounter;
    private long oldestPendingAt;
    /** The events taken since the last report (written or found to be repeats), for the tracker after the next commit. */
    private SeqRuns unreported = new SeqRuns();
    /** A file reached roll-bytes, or a commit failed: commit before taking the next event. */
    private boolean commitOwed;

    /**
     * The lake writer of local mode and of aws camel delivery (one construction for both), over their
     * storage, from {@code wikiedits.lake.*}; it reports to {@code tracker} as sink {@link #SINK}.
     */
    public static LakeWriter fromSettings(SettingValues settings, LakeStorage storage, CommitTracker tracker) {
        return new LakeWriter(storage, tracker, settings.number("wikiedits.lake.roll-seconds"),
                settings.number("wikiedits.lake.roll-bytes"), (int) settings.number("wikiedits.lake.dedupe-partitions"),
                Clock.systemUTC());
    }

    public LakeWriter(LakeStorage storage, CommitTracker tracker, long rollSeconds, long rollBytes,
                      int dedupePartitions, Clock clock) {
        if (rollSeconds <= 0 || rollBytes <= 0) {
            throw new IllegalArgumentException("wikiedits.lake.roll-seconds and wikiedits.lake.roll-bytes must be positive");
        }
        if (dedupePartitions <= 0) {
            throw new IllegalArgumentException("wikiedits.lake.dedupe-partitions must be positive");
        }
        this.storage = storage;
        this.tracker = tracker;
        this.rollMillis = rollSeconds * 1000;
        this.rollBytes = rollBytes;
        this.clock = clock;
        this.idsByPartition = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, EventIdSet> eldest) {
                return size() > dedupePartitions && !pending.containsKey(eldest.getKey());
            }
        };
        try {
            int discarded = storage.discardPending();
            if (discarded > 0) {
                LOG.info("Discarded {} uncommitted lake file(s) left by an earlier run; their events will be replayed", discarded);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean up the lake at " + storage.describe(), e);
        }
    }

    /**
     * Appends the row (CSV, ending in {@code \n}) of event {@code eventId} to {@code partition}
     * ({@code dt=YYYY-MM-DD/hour=HH}) unless the id is already there; {@code seq} from the tracker.
     * All or nothing: when it throws (disk full) the event is in no file and not among the partition's
     * ids, so a retry writes it. A file that could not be committed is committed first: while that
     * fails, no event is taken, which holds the queue and the source back.
     */
    public void write(String partition, String eventId, byte[] row, long seq) throws IOException {
        EventIdSet ids = idsOf(partition);
        synchronized (this) {
            if (commitOwed) {
                commit();
            }
            if (ids.contains(eventId)) {
                duplicates.incrementAndGet();
            } else {
                LakeStorage.PendingFile file = pending.get(partition);
                if (file == null) {
                    file = storage.create(partition, nextFileName());
                    if (pending.isEmpty()) {
                        oldestPendingAt = clock.millis();
                    }
                    pending.put(partition, file);
                }
                file.append(row);
                ids.add(eventId);
                written.incrementAndGet();
                pendingRows++;
                commitOwed = file.size() >= rollBytes;
            }
            // exactly this event, not "up to seq": an event taken out of order leaves the ones before it unreported
            unreported.add(seq);
            if (commitOwed) {
                try {
                    commit();
                } catch (IOException e) {
                    // this event is safe in its pending file; the commit is retried before the next one is taken
                    LOG.debug("Commit after a full file failed; retried before the next event: {}", e.getMessage());
                }
            }
        }
    }

    /**
     * Commits when the oldest pending file is older than roll-seconds, or a commit failed; called by a
     * timer. Returns whether it committed.
     */
    public synchronized boolean rollIfDue() throws IOException {
        boolean due = pending.isEmpty() ? !unreported.isEmpty()
                : commitOwed || clock.millis() - oldestPendingAt >= rollMillis;
        if (due) {
            commit();
        }
        return due;
    }

    /**
     * Commits every pending file, then reports every event seen so far as handled once the storage has
     * made those files visible ({@link LakeStorage#afterVisible}). When a file fails to commit it stays
     * pending (the files before it are committed), and the next call retries it.
     */
    public synchronized void commit() throws IOException {
        commitOwed = !pending.isEmpty();
        for (Iterator<LakeStorage.PendingFile> files = pending.values().iterator(); files.hasNext(); ) {
            files.next().commit();
            files.remove();
            filesSinceReport++;
        }
        commitOwed = false;
        CrashPoint.reached(CrashPoint.LAKE_RENAMED);
        if (!unreported.isEmpty() || filesSinceReport > 0) {
            SeqRuns seqs = unreported;
            long rows = pendingRows;
            long files = filesSinceReport;
            storage.afterVisible(() -> {
                committedFiles.addAndGet(files);
                committedRows.addAndGet(rows);
                tracker.handled(SINK, seqs);
            });
            unreported = new SeqRuns();
            pendingRows = 0;
            filesSinceReport = 0;
        }
    }

    /** Commits what is pending; called on shutdown. */
    public synchronized void close() throws IOException {
        commit();
    }

    /**
     * The partition's id set, read from its committed files on first touch. The read (on S3 a LIST and
     * a GET per object) runs outside the writer's lock, so the timer's commits of the other partitions
     * go on meanwhile; only the one consumer thread calls {@link #write}, so no partition is read twice.
     */
    private EventIdSet idsOf(String partition) throws IOException {
        synchronized (this) {
            EventIdSet ids = idsByPartition.get(partition);
            if (ids != null) {
                return ids;
            }
        }
        EventIdSet loaded = storage.committedIds(partition);
        synchronized (this) {
            EventIdSet raced = idsByPartition.putIfAbsent(partition, loaded);
            return raced != null ? raced : loaded;
        }
    }

    private String nextFileName() {
        return "part-" + FILE_STAMP.format(clock.instant()) + "-" + runId + "-" + (++fileCounter) + ".csv";
    }

    public long written() {
        return written.get();
    }

    public long duplicates() {
        return duplicates.get();
    }

    /** Rows in committed files that the storage has made visible. */
    public long committedRows() {
        return committedRows.get();
    }

    public long committedFiles() {
        return committedFiles.get();
    }

    public String describe() {
        return storage.describe();
    }

    /** Why the storage cannot make files visible right now, or empty. */
    public Optional<String> storageProblem() {
        return storage.problem();
    }
}
