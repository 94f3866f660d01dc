package org.wikiedits.checkpoint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The commit protocol that joins the source checkpoint to every sink. The source admits each event
 * in stream order and gets a sequence number; each sink reports, after it has made events durable,
 * that it has handled every event up to a sequence number (events it skips count as handled). The
 * checkpoint advances to the newest event that every sink has handled, and to no event beyond.
 * After a crash the source resumes from there: events past it are replayed, and the sinks absorb
 * the replays by {@code meta.id}.
 */
public final class CommitTracker {

    /** Exchange header carrying an event's sequence number from the source to the sinks. */
    public static final String SEQ_HEADER = "WikieditsSeq";

    private final CheckpointStore store;
    private final Map<String, Long> handled = new LinkedHashMap<>();
    private final NavigableMap<Long, String> pendingIds = new ConcurrentSkipListMap<>();
    private final AtomicLong lastAdmitted = new AtomicLong();
    private final NavigableSet<Long> skippedSeqs = new TreeSet<>();
    /** Every event up to here is durable in every sink (or needs none). */
    private long safe;
    private long checkpointed;

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

    private void advance() {
        long next = handled.values().stream().mapToLong(Long::longValue).min().orElse(0L);
        safe = Math.max(safe, next);
        while (skippedSeqs.remove(safe + 1)) {
            safe++;
        }
        skippedSeqs.headSet(safe, true).clear();
        Map.Entry<Long, String> newest = pendingIds.floorEntry(safe);
        if (newest != null && newest.getKey() > checkpointed) {
            store.save(newest.getValue());
            checkpointed = newest.getKey();
        }
        pendingIds.headMap(safe, true).clear();
    }

    /** Events admitted by the source that are not yet behind the checkpoint. */
    public synchronized long uncommitted() {
        return lastAdmitted.get() - safe;
    }

    public long lastAdmitted() {
        return lastAdmitted.get();
    }

    public CheckpointStore store() {
        return store;
    }
}
