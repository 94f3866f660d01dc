package org.wikiedits.commit;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * A set of sequence numbers kept as runs ({@code from..to}): what a sink has made durable since it last
 * told the {@link CommitTracker}, and, inside the tracker, what each sink has done beyond its watermark.
 * Events mostly come in order, so a set of thousands of numbers is a handful of runs. Not thread-safe.
 */
public final class SeqRuns {

    /** Run start to run end (inclusive); runs never touch or overlap. */
    private final TreeMap<Long, Long> runs = new TreeMap<>();

    /** The numbers given. */
    public static SeqRuns of(long... seqs) {
        SeqRuns set = new SeqRuns();
        for (long seq : seqs) {
            set.add(seq);
        }
        return set;
    }

    public void add(long seq) {
        addRun(seq, seq);
    }

    public void addAll(SeqRuns other) {
        other.runs.forEach(this::addRun);
    }

    /** Adds {@code from..to}, joined with the runs it touches. */
    private void addRun(long from, long to) {
        long start = from;
        long end = to;
        Map.Entry<Long, Long> before = runs.floorEntry(from);
        if (before != null && before.getValue() >= from - 1) {
            start = before.getKey();
            end = Math.max(end, before.getValue());
            runs.remove(before.getKey());
        }
        for (Map.Entry<Long, Long> next = runs.ceilingEntry(start); next != null && next.getKey() <= end + 1;
                next = runs.ceilingEntry(start)) {
            end = Math.max(end, next.getValue());
            runs.remove(next.getKey());
        }
        runs.put(start, end);
    }

    public boolean contains(long seq) {
        Map.Entry<Long, Long> run = runs.floorEntry(seq);
        return run != null && run.getValue() >= seq;
    }

    public boolean isEmpty() {
        return runs.isEmpty();
    }

    /** The highest number, or 0 when empty. */
    public long max() {
        return runs.isEmpty() ? 0 : runs.lastEntry().getValue();
    }

    /**
     * Moves {@code watermark} over the numbers that follow it without a gap and forgets every number up
     * to the new watermark; returns the new watermark.
     */
    long advance(long watermark) {
        long mark = watermark;
        for (Iterator<Map.Entry<Long, Long>> it = runs.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Long> run = it.next();
            if (run.getKey() > mark + 1) {
                break;
            }
            mark = Math.max(mark, run.getValue());
            it.remove();
        }
        return mark;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("[");
        runs.forEach((from, to) -> text.append(text.length() > 1 ? ", " : "").append(from.equals(to) ? from : from + ".." + to));
        return text.append(']').toString();
    }
}
