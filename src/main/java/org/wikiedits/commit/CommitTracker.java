package org.wikiedits.commit;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commit protocol that joins the source checkpoint to every sink. The source admits each event
 * in stream order and gets a sequence number; each sink reports, after it has made events durable,
 * exactly which events those are ({@link #handled}), and which it settled without writing them (a
 * dead letter of that sink: {@link #skipped(String, long)}). Per sink the tracker keeps a watermark:
 * every event up to it is settled in that sink, without a gap. The checkpoint advances to the lowest
 * watermark, and to no event beyond. After a crash the source resumes from there: events past it are
 * replayed, and the sinks absorb the replays by {@code meta.id}.
 *
 * <p>Why a contiguous watermark per sink rather than "handled up to n": the order in which a sink
 * sees events is not guaranteed by one setting. A {@code threads:} step, an asynchronous
 * {@code delay:} or producer added to a sink route lets its queue's consumer take the next event while
 * one is in flight, so a sink could write event 3 before event 2 and "up to 3" would pass event 2.
 * A sink that reports the events themselves is right in any order; an event it never reports holds the
 * checkpoint (replayed after a restart), it is never passed.
 *
 * <p>Every admitted event ends in one of three ways in each sink: the sink commits it; it is skipped
 * (a canary or an unreadable event, skipped by the source for every sink; or a dead letter of that sink
 * only); or the tracker is {@linkplain #halt halted} before it, and the checkpoint never passes it in
 * this process. A checkpoint that cannot be saved is not lost: it is saved again by
 * {@link #saveIfBehind} (a timer) until the fault clears.
 */
public final class CommitTracker {

    private static final Logger LOG = LoggerFactory.getLogger(CommitTracker.class);

    private final CheckpointStore store;
    /** Per sink: every event up to its watermark is settled in that sink. */
    private final Map<String, Long> watermarks = new LinkedHashMap<>();
    /** Per sink: events beyond its watermark already settled there, waiting for the events before them. */
    private final Map<String, SeqRuns> ahead = new LinkedHashMap<>();
    private final NavigableMap<Long, String> pendingIds = new ConcurrentSkipListMap<>();
    private final AtomicLong lastAdmitted = new AtomicLong();
    private volatile String lastAdmittedId;
    /** Every event up to here is durable in every sink (or needs none). */
    private long safe;
    private long checkpointed;
    /** The first event that must not be passed (its exchange failed and could not be dead-lettered). */
    private long haltedAt = Long.MAX_VALUE;
    private volatile String haltReason;
    private volatile String saveProblem;
    private final Clock clock;
    /** When each admitted event was received (clock millis), until it is settled in every sink or goes to none. */
    private final NavigableMap<Long, Long> receivedAt = new ConcurrentSkipListMap<>();
    private volatile Consumer<Duration> settledListener = latency -> { };

    public CommitTracker(CheckpointStore store, List<String> sinks) {
        this(store, sinks, Clock.systemUTC());
    }

    /** @param clock times each event from its admission to its settlement in every sink ({@link #onSettled}) */
    public CommitTracker(CheckpointStore store, List<String> sinks, Clock clock) {
        if (sinks.isEmpty()) {
            throw new IllegalArgumentException("the commit tracker needs at least one sink");
        }
        this.store = store;
        this.clock = clock;
        sinks.forEach(sink -> {
            watermarks.put(sink, 0L);
            ahead.put(sink, new SeqRuns());
        });
    }

    /** Registers the next event of the stream (in order) and returns its sequence number. */
    public long admit(String eventId) {
        long seq = lastAdmitted.incrementAndGet();
        receivedAt.put(seq, clock.millis());
        if (eventId != null && !eventId.isEmpty()) {
            pendingIds.put(seq, eventId);
            lastAdmittedId = eventId;
        }
        return seq;
    }

    /** {@code sink} has made the events {@code seqs} durable (in any order, any of them again). */
    public synchronized void handled(String sink, SeqRuns seqs) {
        ahead(sink).addAll(seqs);
        advance();
    }

    /**
     * {@code sink} settled the event {@code seq} without writing it (its dead letter is stored): once
     * that sink has every event before it, its watermark may pass it. The other sinks still have to
     * make it durable themselves.
     */
    public synchronized void skipped(String sink, long seq) {
        ahead(sink).add(seq);
        advance();
    }

    /**
     * The event {@code seq} goes to no sink (a canary, or a dead letter the source stored before the
     * fan-out): once every event before it is handled, the checkpoint may move past it. Without this,
     * dropped events at the end of a recording would be replayed (and dead-lettered again) after every restart.
     */
    public synchronized void skipped(long seq) {
        receivedAt.remove(seq); // delivered nowhere: no latency
        ahead.values().forEach(runs -> runs.add(seq));
        advance();
    }

    /** Whether the checkpoint waits for {@code sink}. */
    public boolean tracks(String sink) {
        return watermarks.containsKey(sink);
    }

    private SeqRuns ahead(String sink) {
        SeqRuns runs = ahead.get(sink);
        if (runs == null) {
            throw new IllegalArgumentException("unknown sink '" + sink + "'; known: " + watermarks.keySet());
        }
        return runs;
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
        watermarks.replaceAll((sink, watermark) -> ahead.get(sink).advance(watermark));
        long next = watermarks.values().stream().mapToLong(Long::longValue).min().orElse(0L);
        safe = Math.min(Math.max(safe, next), haltedAt - 1);
        reportSettled();
        save();
    }

    /**
     * Registers who is told, for each event as it becomes settled in every sink, how long ago it was
     * admitted: the end-to-end latency from receipt to the acknowledgement of the last sink.
     */
    public void onSettled(Consumer<Duration> listener) {
        settledListener = listener;
    }

    private void reportSettled() {
        NavigableMap<Long, Long> settled = receivedAt.headMap(safe, true);
        if (!settled.isEmpty()) {
            long now = clock.millis();
            settled.values().forEach(received -> settledListener.accept(Duration.ofMillis(Math.max(0, now - received))));
            settled.clear();
        }
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
