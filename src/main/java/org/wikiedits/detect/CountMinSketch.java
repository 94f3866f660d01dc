package org.wikiedits.detect;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Counts per key in a fixed table of {@code depth} rows by {@code width} counters, whatever the number of
 * distinct keys (a count-min sketch). An estimate is never below the true count and exceeds it by at most
 * {@code e/width} of all counts added, with probability {@code 1 - e^-depth}; conservative update (only the
 * smallest counters of a key grow) keeps the excess well below that bound in practice.
 */
final class CountMinSketch {

    private static final int DEPTH = 4;
    private static final long[] SEEDS = {0x9E3779B97F4A7C15L, 0xC2B2AE3D27D4EB4FL, 0x165667B19E3779F9L, 0xD6E8FEB86659FD93L};

    private final int width;
    private final int[] counts;

    CountMinSketch(int width) {
        if (width < 16) {
            throw new IllegalArgumentException("a sketch needs at least 16 counters a row, not " + width);
        }
        this.width = width;
        this.counts = new int[DEPTH * width];
    }

    void add(String key) {
        int[] cells = cells(key);
        int least = Integer.MAX_VALUE;
        for (int cell : cells) {
            least = Math.min(least, counts[cell]);
        }
        for (int cell : cells) {
            if (counts[cell] == least) {
                counts[cell]++;
            }
        }
    }

    int estimate(String key) {
        int least = Integer.MAX_VALUE;
        for (int cell : cells(key)) {
            least = Math.min(least, counts[cell]);
        }
        return least;
    }

    void clear() {
        Arrays.fill(counts, 0);
    }

    /** The memory its counters take, the same for one key or a million. */
    long bytes() {
        return 4L * counts.length;
    }

    private int[] cells(String key) {
        long hash = fnv(key);
        int[] cells = new int[DEPTH];
        for (int row = 0; row < DEPTH; row++) {
            long mixed = (hash ^ SEEDS[row]) * 0xff51afd7ed558ccdL;
            mixed ^= mixed >>> 33;
            cells[row] = row * width + (int) Math.floorMod(mixed, (long) width);
        }
        return cells;
    }

    private static long fnv(String key) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        return hash;
    }
}
