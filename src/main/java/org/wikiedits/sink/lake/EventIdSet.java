package org.wikiedits.sink.lake;

import java.io.BufferedReader;
import java.util.HashSet;
import java.util.Set;
import org.wikiedits.transform.CsvRow;

/**
 * One partition's event ids, held compactly for deduplication. A {@code meta.id} is a UUID in its
 * canonical spelling (36 characters, lower-case hex, hyphens at 8, 13, 18 and 23): such an id is
 * kept as its two 64-bit halves in a primitive open-addressing hash set (linear probing, no boxing),
 * some 19 to 27 bytes an id instead of about 120 for a {@code HashSet<String>}. Any other id
 * (not a UUID, or a spelling that would not read back identically, such as upper case) goes to a
 * small {@code HashSet<String>}, so every string is compared exactly as it was given.
 *
 * <p>Not thread-safe: the lake writer calls it under its own lock.
 */
public final class EventIdSet {

    private static final int INITIAL_SLOTS = 16;
    /**
     * Grows when more than this share of the slots is taken, to a table this full. Linear probing
     * stays short enough at 85% (a miss probes some 20 adjacent slots, a few cache lines), and the
     * table costs 16 bytes / load: 19 to 27 bytes an id. Powers of two would waste up to half.
     */
    private static final double MAX_LOAD = 0.85;
    private static final double LOAD_AFTER_GROWTH = 0.6;
    /**
     * The table is cut into pages of 16,384 slots (256 KiB): G1 puts an array of half a region or
     * more (512 KiB with a 1 GiB heap) into whole regions of its own, which wastes a fifth of a
     * partition's table on average.
     */
    private static final int PAGE_BITS = 14;
    private static final int PAGE_SLOTS = 1 << PAGE_BITS;

    /** Slot s is {@code pages[s >>> PAGE_BITS]} at {@code 2 * (s % PAGE_SLOTS)} (high half) and the next (low half); both zero = empty. */
    private long[][] pages = newTable(INITIAL_SLOTS);
    private int slots = INITIAL_SLOTS;
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
        if (!put(pages, slots, high, low)) {
            return false;
        }
        uuids++;
        if (uuids > MAX_LOAD * slots) {
            grow();
        }
        return true;
    }

    /** Adds the event id (the first column) of every lake row read from {@code rows}. */
    public void addRowsOf(BufferedReader rows) {
        rows.lines().map(CsvRow::eventIdOf).filter(id -> id != null && !id.isEmpty()).forEach(this::add);
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
        return isTaken(pages, find(pages, slots, high, low));
    }

    public int size() {
        return uuids + (hasZeroUuid ? 1 : 0) + (others == null ? 0 : others.size());
    }

    private static long[][] newTable(int slots) {
        long[][] table = new long[(slots + PAGE_SLOTS - 1) >>> PAGE_BITS][];
        for (int p = 0; p < table.length; p++) {
            table[p] = new long[2 * Math.min(PAGE_SLOTS, slots - (p << PAGE_BITS))];
        }
        return table;
    }

    /** Stores (high, low) unless present; true when stored. */
    private static boolean put(long[][] table, int slots, long high, long low) {
        int slot = find(table, slots, high, low);
        if (isTaken(table, slot)) {
            return false;
        }
        long[] page = table[slot >>> PAGE_BITS];
        int at = (slot & (PAGE_SLOTS - 1)) << 1;
        page[at] = high;
        page[at + 1] = low;
        return true;
    }

    private static boolean isTaken(long[][] table, int slot) {
        long[] page = table[slot >>> PAGE_BITS];
        int at = (slot & (PAGE_SLOTS - 1)) << 1;
        return page[at] != 0 || page[at + 1] != 0;
    }

    /** The slot that holds (high, low), or the empty slot where it belongs. */
    private static int find(long[][] table, int slots, long high, long low) {
        // the hash scaled onto [0, slots) (Lemire's multiply-shift): any table size, no modulo
        int slot = (int) (((hash(high, low) & 0xFFFFFFFFL) * slots) >>> 32);
        while (true) {
            long[] page = table[slot >>> PAGE_BITS];
            int at = (slot & (PAGE_SLOTS - 1)) << 1;
            long h = page[at];
            long l = page[at + 1];
            if ((h == high && l == low) || (h == 0 && l == 0)) {
                return slot;
            }
            slot = slot + 1 == slots ? 0 : slot + 1;
        }
    }

    private void grow() {
        int biggerSlots = (int) Math.ceil(uuids / LOAD_AFTER_GROWTH);
        long[][] bigger = newTable(biggerSlots);
        for (long[] page : pages) {
            for (int at = 0; at < page.length; at += 2) {
                if (page[at] != 0 || page[at + 1] != 0) {
                    put(bigger, biggerSlots, page[at], page[at + 1]);
                }
            }
        }
        pages = bigger;
        slots = biggerSlots;
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
