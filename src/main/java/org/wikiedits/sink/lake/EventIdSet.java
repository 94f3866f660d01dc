package org.wikiedits.sink.lake;

import java.util.HashSet;
import java.util.Set;

/**
 * One partition's event ids, held compactly for deduplication. A {@code meta.id} is a UUID in its
 * canonical spelling (36 characters, lower-case hex, hyphens at 8, 13, 18 and 23): such an id is
 * kept as its two 64-bit halves in a primitive open-addressing hash set (linear probing, no boxing),
 * about 16 bytes an id at full load instead of some 120 for a {@code HashSet<String>}. Any other id
 * (not a UUID, or a spelling that would not read back identically, such as upper case) goes to a
 * small {@code HashSet<String>}, so every string is compared exactly as it was given.
 *
 * <p>Not thread-safe: the lake writer calls it under its own lock.
 */
public final class EventIdSet {

    private static final int INITIAL_SLOTS = 16;
    /** Grows when more than this share of the slots is taken: probing stays short, memory stays near 16 bytes / 0.7. */
    private static final double MAX_LOAD = 0.7;

    /** Slot i holds {@code halves[2i]} (most significant) and {@code halves[2i+1]}; all zero = empty. */
    private long[] halves = new long[2 * INITIAL_SLOTS];
    private int uuids;
    /** The all-zero UUID cannot be told from an empty slot, so it is a flag. */
    private boolean hasZeroUuid;
    private Set<String> others;

    /** Adds {@code id}; true when it was not there yet. */
    public boolean add(String id) {
        if (!isCanonicalUuid(id)) {
            if (others == null) {
                others = new HashSet<>();
            }
            return others.add(id);
        }
        long high = hexToLong(id, 0);
        long low = hexToLong(id, 19);
        if (high == 0 && low == 0) {
            boolean added = !hasZeroUuid;
            hasZeroUuid = true;
            return added;
        }
        int slot = find(halves, high, low);
        if (halves[2 * slot] != 0 || halves[2 * slot + 1] != 0) {
            return false;
        }
        halves[2 * slot] = high;
        halves[2 * slot + 1] = low;
        uuids++;
        if (uuids > MAX_LOAD * slots()) {
            grow();
        }
        return true;
    }

    public boolean contains(String id) {
        if (!isCanonicalUuid(id)) {
            return others != null && others.contains(id);
        }
        long high = hexToLong(id, 0);
        long low = hexToLong(id, 19);
        if (high == 0 && low == 0) {
            return hasZeroUuid;
        }
        int slot = find(halves, high, low);
        return halves[2 * slot] != 0 || halves[2 * slot + 1] != 0;
    }

    public int size() {
        return uuids + (hasZeroUuid ? 1 : 0) + (others == null ? 0 : others.size());
    }

    private int slots() {
        return halves.length / 2;
    }

    /** The slot that holds (high, low), or the empty slot where it belongs. */
    private static int find(long[] table, long high, long low) {
        int mask = table.length / 2 - 1;
        int slot = hash(high, low) & mask;
        while (true) {
            long h = table[2 * slot];
            long l = table[2 * slot + 1];
            if ((h == high && l == low) || (h == 0 && l == 0)) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
    }

    private void grow() {
        long[] old = halves;
        long[] bigger = new long[old.length * 2];
        for (int i = 0; i < old.length; i += 2) {
            if (old[i] != 0 || old[i + 1] != 0) {
                int slot = find(bigger, old[i], old[i + 1]);
                bigger[2 * slot] = old[i];
                bigger[2 * slot + 1] = old[i + 1];
            }
        }
        halves = bigger;
    }

    /** A 64-bit finalizer (MurmurHash3's fmix64) over both halves: version and variant bits are not random. */
    private static int hash(long high, long low) {
        long h = high * 0x9E3779B97F4A7C15L ^ low;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h;
    }

    /** True for {@code xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx} in lower-case hex: exactly what {@link java.util.UUID#toString()} writes. */
    static boolean isCanonicalUuid(String id) {
        if (id == null || id.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = id.charAt(i);
            boolean ok = (i == 8 || i == 13 || i == 18 || i == 23) ? c == '-' : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The 16 hex digits from {@code start} (hyphens skipped) as a long; {@code start} 0 gives the high half, 19 the low. */
    private static long hexToLong(String id, int start) {
        long value = 0;
        int digits = 0;
        for (int i = start; digits < 16; i++) {
            char c = id.charAt(i);
            if (c != '-') {
                value = (value << 4) | (c <= '9' ? c - '0' : c - 'a' + 10);
                digits++;
            }
        }
        return value;
    }
}
