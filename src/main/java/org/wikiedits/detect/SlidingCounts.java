package org.wikiedits.detect;

import java.time.Duration;
import java.time.Instant;

/**
 * Counts per key over a sliding window of event time and over the baseline before it, in a ring of
 * {@link CountMinSketch}es, one per slice of {@code window / SLICES}: memory is fixed by the settings,
 * never by the number of keys. Time is the events' own ({@code meta.dt}), so a replay counts as the
 * live run did; the newest event time seen is "now", and an event older than the ring is not counted.
 */
final class SlidingCounts {

    /** Slices of one window: a count covers between 4/5 and all of the window before the newest event. */
    static final int SLICES = 5;

    private final long sliceMillis;
    private final int windowSlices;
    private final int baselineSlices;
    private final CountMinSketch[] ring;
    private long newestSlice = Long.MIN_VALUE;
    private long firstSlice = Long.MIN_VALUE;

    SlidingCounts(Duration window, Duration baseline, int width) {
        this.sliceMillis = Math.max(1, window.toMillis() / SLICES);
        this.windowSlices = SLICES;
        this.baselineSlices = (int) Math.max(1, baseline.toMillis() / sliceMillis);
        this.ring = new CountMinSketch[windowSlices + baselineSlices];
        for (int i = 0; i < ring.length; i++) {
            ring[i] = new CountMinSketch(width);
        }
    }

    /** Counts one event of {@code key} at {@code time}; false when it is older than the ring keeps. */
    boolean add(String key, Instant time) {
        long slice = Math.floorDiv(time.toEpochMilli(), sliceMillis);
        if (newestSlice == Long.MIN_VALUE) {
            newestSlice = slice;
            firstSlice = slice;
        } else if (slice > newestSlice) {
            // the slices the ring now reuses start empty
            for (long s = Math.max(newestSlice + 1, slice - ring.length + 1); s <= slice; s++) {
                ring[index(s)].clear();
            }
            newestSlice = slice;
        } else if (slice <= newestSlice - ring.length) {
            return false;
        }
        firstSlice = Math.min(firstSlice, slice);
        ring[index(slice)].add(key);
        return true;
    }

    /** The key's events in the window up to the newest event. */
    int window(String key) {
        return sum(key, newestSlice - windowSlices + 1, newestSlice);
    }

    /**
     * The key's events per window over the baseline before the window: its average, scaled from the part
     * of the baseline seen so far (none yet: 0).
     */
    double baselinePerWindow(String key) {
        long from = Math.max(newestSlice - windowSlices - baselineSlices + 1, firstSlice);
        long to = newestSlice - windowSlices;
        if (to < from) {
            return 0;
        }
        return sum(key, from, to) * (double) windowSlices / (to - from + 1);
    }

    /** When the window up to the newest event starts. */
    Instant windowStart() {
        return Instant.ofEpochMilli((newestSlice - windowSlices + 1) * sliceMillis);
    }

    /** The memory of all its counters: fixed when it is made. */
    long bytes() {
        long bytes = 0;
        for (CountMinSketch sketch : ring) {
            bytes += sketch.bytes();
        }
        return bytes;
    }

    private int sum(String key, long from, long to) {
        int sum = 0;
        for (long s = Math.max(from, newestSlice - ring.length + 1); s <= to; s++) {
            sum += ring[index(s)].estimate(key);
        }
        return sum;
    }

    private int index(long slice) {
        return (int) Math.floorMod(slice, (long) ring.length);
    }
}
