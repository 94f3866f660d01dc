package org.wikiedits.checkpoint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commit protocol that joins the source checkpoint to every sink. The source admits each event
 * in stream order and gets a sequence number; each sink reports, after it has made events durable,
 * that it has handled every event up to a sequence number (events it skips count as handled). The
 * checkpoint advances to the newest event that every sink has handled, and to no event beyond.
 * After a crash the source resumes from there: events past it are replayed, and the sinks absorb
 * the replays by {@code meta.id}.
 *
 * <p>Every admitted event ends in one of three ways: every sink commits it; it is skipped (a canary,
 * or stored as a dead letter); or the tracker is {@linkplain #halt halted} before it, and the
 * checkpoint never passes it in this process. A checkpoint that cannot be saved is not lost: it is
 * saved again by {@link #saveIfBehind} (a timer) until the fault clears.
 */
public final class CommitTracker {

    /** Exchange header carrying an event's sequence number from the source to the sinks. */
    public static final String SEQ_HEADER = "WikieditsSeq";

    private static final Logger LOG = LoggerFactory.getLogger(CommitTracker.class);

    private final CheckpointStore store;
    private final Map<String, Long> handled = new LinkedHashMap<>();
    private final NavigableMap<Long, String> pendingIds = new ConcurrentSkipListMap<>();
    private final AtomicLong lastAdmitted = new AtomicLong();
    private volatile String lastAdmittedId;
    private final NavigableSet<Long> skippedSeqs = new TreeSet<>();
    /** Every event up to here is durable in every sink (or needs none). */
    private long safe;
    private long checkpointed;
    /** The first event that must not be passed (its exchange failed and could not be dead-lettered). */
    private long haltedAt = Long.MAX_VALUE;
    private volatile String haltReason;
    private volatile String saveProblem;

    public CommitTracker(CheckpointStore store, List<String> sinks) {
        if (sinks.isEmpty()) {
            throw new IllegalArgumentException("the commit tracker needs at least one sink");
        }
        this.store = store;
        sinks.forEach(sink -> handled.put(sink, 0L));
    }

    /** Registers the next event of the stream (in order) and returns its sequence number. */
    public long admit(String eventId) {
        long seq = lastAdmitted.incrementAndGet();
        if (eventId != null && !eventId.isEmpty()) {
            pendingIds.put(seq, eventId);
            lastAdmittedId = eventId;
        }
        return seq;
    }

    /** {@code sink} has made every event up to and including {@code seq} durable (or skipped it). */
    public synchronized void handled(String sink, long seq) {
        Long previous = handled.get(sink);
        if (previous == null) {
            throw new IllegalArgumentException("unknown sink '" + sink + "'; known: " + handled.keySet());
        }
        if (seq > previous) {
            handled.put(sink, seq);
            advance();
        }
    }

    /**
     * The event {@code seq} goes to no sink (a canary, or a dead letter already stored): once every
     * event before it is handled, the checkpoint may move past it. Without this, dropped events at
     * the end of a recording would be replayed (and dead-lettered again) after every restart.
     */
    public synchronized void skipped(long seq) {
        if (seq > safe) {
            skippedSeqs.add(seq);
            advance();
        }
    }

    /**
     * The event {@code seq} could not be handled and not be stored as a dead letter: the checkpoint
     * stays before it for the rest of this process, so a restart replays it. The pipeline is DOWN.
     */
    public synchronized void halt(long seq, String reason) {
        if (seq < haltedAt) {
            haltedAt = seq;
            haltReason = reason;
        }
    }

    /** Why the checkpoint can no longer advance, if it cannot. */
    public Optional<String> halted() {
        return Optional.ofNullable(haltReason);
    }

    /** Why the last checkpoint save failed, while it is failing. */
    public Optional<String> saveProblem() {
        return Optional.ofNullable(saveProblem);
    }

    /** Saves the checkpoint if a save failed since; for a timer, so a fault that clears is recovered from without new events. */
    public synchronized void saveIfBehind() {
        save();
    }

    private void advance() {
        long next = handled.values().stream().mapToLong(Long::longValue).min().orElse(0L);
        safe = Math.min(Math.max(safe, next), haltedAt - 1);
        while (safe + 1 < haltedAt && skippedSeqs.remove(safe + 1)) {
            safe++;
        }
        skippedSeqs.headSet(safe, true).clear();
        save();
    }

    private void save() {
        Map.Entry<Long, String> newest = pendingIds.floorEntry(safe);
        if (newest != null && newest.getKey() > checkpointed) {
            try {
                store.save(newest.getValue());
            } catch (RuntimeException e) {
                if (saveProblem == null) {
                    LOG.warn("Cannot save the checkpoint ({}); retrying every second, events after the last saved one would be replayed after a restart",
                            e.getMessage());
                }
                saveProblem = "cannot save the checkpoint: " + e.getMessage();
                return;
            }
            if (saveProblem != null) {
                LOG.info("Checkpoint saved again after: {}", saveProblem);
                saveProblem = null;
            }
            checkpointed = newest.getKey();
            pendingIds.headMap(newest.getKey(), false).clear();
        }
    }

    /** Events admitted by the source that are not yet behind the checkpoint. */
    public synchronized long uncommitted() {
        return lastAdmitted.get() - safe;
    }

    public long lastAdmitted() {
        return lastAdmitted.get();
    }

    /** The source id of the newest event admitted in this process (see {@link ResumePosition}), if any. */
    public Optional<String> lastAdmittedId() {
        return Optional.ofNullable(lastAdmittedId);
    }

    public CheckpointStore store() {
        return store;
    }
}
